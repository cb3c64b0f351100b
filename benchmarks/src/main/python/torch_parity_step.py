"""The dual-encoder training step of paper2code-trainer, written in PyTorch eager, as the reference that
`bin/benchmark torch-parity` times against the DJL step (ContrastiveTrainer.step) on the same shapes.

Same computation as the Java model: two RoBERTa encoders with Hugging Face semantics (padding-offset
position ids, post-norm layers, erf GELU, additive mask with float32.min, mean pooling over attended
tokens), InfoNCE paper->code at temperature 0.07 over in-batch negatives, clip_grad_norm_(1.0) over both
encoders, torch.optim.AdamW (lr 1e-4, weight decay 0.01), loss and norm read back once per step.
No dropout (the Java side runs its deterministic step). Prints one JSON line.
"""
import argparse
import json
import os
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 1


class Layer(nn.Module):
    def __init__(self, hidden, heads, inner, eps):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attention_output = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Linear(hidden, inner)
        self.output = nn.Linear(inner, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x, additive_mask):
        batch, length, hidden = x.shape
        size = hidden // self.heads

        def split(t):
            return t.view(batch, length, self.heads, size).transpose(1, 2)

        scores = split(self.query(x)) @ split(self.key(x)).transpose(-1, -2) / math.sqrt(size) + additive_mask
        context = (scores.softmax(-1) @ split(self.value(x))).transpose(1, 2).reshape(batch, length, hidden)
        attention = self.attention_norm(self.attention_output(context) + x)
        return self.output_norm(self.output(F.gelu(self.intermediate(attention))) + attention)


class Encoder(nn.Module):
    def __init__(self, vocab, hidden, layers, heads, inner, length, eps=1e-5):
        super().__init__()
        self.words = nn.Embedding(vocab, hidden)
        self.positions = nn.Embedding(length + PAD + 1, hidden)
        self.token_types = nn.Embedding(1, hidden)
        self.norm = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList([Layer(hidden, heads, inner, eps) for _ in range(layers)])

    def forward(self, ids, mask):
        not_padding = (ids != PAD).long()
        positions = torch.cumsum(not_padding, dim=1) * not_padding + PAD
        x = self.norm(self.words(ids) + self.positions(positions) + self.token_types.weight[0])
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, additive)
        weights = mask.unsqueeze(-1).float()
        return (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


def main():
    parser = argparse.ArgumentParser()
    for name in ("vocab", "hidden", "layers", "heads", "batch", "length", "warmup", "steps"):
        parser.add_argument("--" + name, type=int, required=True)
    parser.add_argument("--foreach", action="store_true",
                        help="torch.optim.AdamW(foreach=True): multi-tensor updates instead of the CPU default loop")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", os.cpu_count())))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    inner = 4 * args.hidden
    paper = Encoder(args.vocab, args.hidden, args.layers, args.heads, inner, args.length)
    code = Encoder(args.vocab, args.hidden, args.layers, args.heads, inner, args.length)
    parameters = list(paper.parameters()) + list(code.parameters())
    optimizer = torch.optim.AdamW(parameters, lr=1e-4, weight_decay=0.01, foreach=args.foreach)
    generator = torch.Generator().manual_seed(1)
    paper_ids = torch.randint(3, args.vocab, (args.batch, args.length), generator=generator)
    code_ids = torch.randint(3, args.vocab, (args.batch, args.length), generator=generator)
    mask = torch.ones(args.batch, args.length, dtype=torch.long)
    labels = torch.arange(args.batch)

    def step():
        logits = F.normalize(paper(paper_ids, mask), dim=1) @ F.normalize(code(code_ids, mask), dim=1).T / 0.07
        loss = F.cross_entropy(logits, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        return loss.item(), norm.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000.0)
    print(json.dumps({"engine": "pytorch " + torch.__version__ + " eager" + (", AdamW foreach" if args.foreach else ""), "median_ms": statistics.median(times),
                      "min_ms": min(times), "steps": args.steps,
                      "parameters": sum(p.numel() for p in parameters)}))


if __name__ == "__main__":
    main()
