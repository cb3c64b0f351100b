"""A restatement, in NumPy, of what Hugging Face transformers' AutoModel (BertModel / RobertaModel, eval
mode) and sentence-transformers' SentenceTransformer compute for a model directory, read from the
directory alone: config.json, model.safetensors (parsed here: an 8-byte header length, a JSON header,
little-endian float32 data), modules.json, 1_Pooling/config.json and sentence_bert_config.json.

The project's tests run it on directories the trainer and the importer write, with token ids the
project's tokenizer made, and compare its embeddings with the project's own (DJL) forward: an
independent implementation of the same documented arithmetic (post-norm layers, erf GELU, additive
mask of float32.min, RoBERTa's padding-offset position ids, masked mean pooling, L2 normalization).

Usage: encoder_reference.py DIRECTORY < {"input_ids": [[...], ...]}   (unpadded id lists)
Prints {"mean_pooled": [[...]], "sentence_embedding": [[...]], "modules": [...], "max_seq_length": N}.
"""
import json
import math
import os
import struct
import sys

import numpy as np

ERF = np.vectorize(math.erf)


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        if spec["dtype"] != "F32":
            raise SystemExit(f"{name}: dtype {spec['dtype']}, this reference reads F32 only")
        start, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(spec["shape"]).astype(np.float64)
    # AutoModel takes bare names and names under the architecture's prefix alike.
    return {n.split(".", 1)[1] if n.startswith(("bert.", "roberta.")) else n: t for n, t in tensors.items()}


def layer_norm(x, weight, bias, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def linear(x, w, prefix):
    return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]


def forward(config, w, ids):
    """Last hidden state of one unpadded sequence (batch of one: no padding to mask)."""
    ids = np.asarray(ids)
    if config["model_type"] == "roberta":
        pad = config["pad_token_id"]
        not_pad = (ids != pad).astype(np.int64)
        positions = np.cumsum(not_pad) * not_pad + pad
    else:
        positions = np.arange(len(ids))
    eps = config["layer_norm_eps"]
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    heads = config["num_attention_heads"]
    size = config["hidden_size"] // heads
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."

        def split(t):
            return t.reshape(len(ids), heads, size).transpose(1, 0, 2)

        q = split(linear(x, w, p + "attention.self.query"))
        k = split(linear(x, w, p + "attention.self.key"))
        v = split(linear(x, w, p + "attention.self.value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        context = (probs @ v).transpose(1, 0, 2).reshape(len(ids), -1)
        x = layer_norm(linear(context, w, p + "attention.output.dense") + x,
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        inner = linear(x, w, p + "intermediate.dense")
        if config.get("hidden_act", "gelu") != "gelu":
            raise SystemExit(f"hidden_act {config['hidden_act']}: this reference has erf GELU only")
        inner = 0.5 * inner * (1.0 + ERF(inner / math.sqrt(2.0)))
        x = layer_norm(linear(inner, w, p + "output.dense") + x,
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    return x


def main():
    directory = sys.argv[1]
    with open(os.path.join(directory, "config.json")) as f:
        config = json.load(f)
    weights = read_safetensors(os.path.join(directory, "model.safetensors"))
    with open(os.path.join(directory, "modules.json")) as f:
        modules = [m["type"].rsplit(".", 1)[1] for m in sorted(json.load(f), key=lambda m: m["idx"])]
    with open(os.path.join(directory, "sentence_bert_config.json")) as f:
        max_seq_length = json.load(f)["max_seq_length"]
    with open(os.path.join(directory, "1_Pooling", "config.json")) as f:
        pooling = json.load(f)
    if modules[:2] != ["Transformer", "Pooling"] or not pooling["pooling_mode_mean_tokens"]:
        raise SystemExit(f"modules {modules}, pooling {pooling}: this reference restates mean pooling only")
    request = json.load(sys.stdin)
    mean_pooled, sentence = [], []
    for ids in request["input_ids"]:
        hidden = forward(config, weights, ids[:max_seq_length])
        pooled = hidden.mean(0)
        mean_pooled.append(pooled.tolist())
        if "Normalize" in modules:
            pooled = pooled / max(np.linalg.norm(pooled), 1e-12)
        sentence.append(pooled.tolist())
    print(json.dumps({"mean_pooled": mean_pooled, "sentence_embedding": sentence, "modules": modules,
                      "max_seq_length": max_seq_length}))


if __name__ == "__main__":
    main()
