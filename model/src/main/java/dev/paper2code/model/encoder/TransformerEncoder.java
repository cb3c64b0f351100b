package dev.paper2code.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paper2code.model.checkpoint.Tensor;
import dev.paper2code.model.optim.FlatParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT/RoBERTa encoder with Hugging Face semantics, written with DJL's functional
 * {@link Embedding}, {@link Linear} and {@link LayerNorm} operators: post-norm layers, erf GELU, an
 * additive attention mask, RoBERTa's padding-offset position ids, and masked mean pooling as the
 * output embedding. Parameters carry the Hugging Face names (without the {@code roberta.} prefix), so
 * checkpoints map one to one. DJL's {@code BertBlock} is not used because it differs from Hugging
 * Face BERT (batch norm, different pooling). Dropout applies only when a training forward is given
 * {@link DropoutRates} in its parameter list.
 *
 * <p>The parameters are declared without arrays: their owner gives each one a view of a single flat
 * vector ({@code FlatParameters}), so {@link #parameterShapes} says what to allocate.
 *
 * <p>Input: token ids {@code [batch, length]} (int64) and attention mask {@code [batch, length]}.
 * Output: last hidden state {@code [batch, length, hidden]} and mean-pooled embedding {@code [batch, hidden]}.
 */
public final class TransformerEncoder extends AbstractBlock {
    /** Tensors that checkpoints carry but a bare mean-pooled encoder does not use. */
    private static final List<String> UNUSED_PREFIXES = List.of("pooler.", "lm_head.", "cls.",
            "embeddings.position_ids", "embeddings.token_type_ids");

    private final EncoderConfig config;
    private final Map<String, Parameter> named = new LinkedHashMap<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();

    public TransformerEncoder(EncoderConfig config) {
        this.config = config;
        int hidden = config.hiddenSize();
        int inner = config.intermediateSize();
        add("embeddings.word_embeddings.weight", Parameter.Type.WEIGHT, config.vocabSize(), hidden);
        add("embeddings.position_embeddings.weight", Parameter.Type.WEIGHT, config.maxPositionEmbeddings(), hidden);
        add("embeddings.token_type_embeddings.weight", Parameter.Type.WEIGHT, config.typeVocabSize(), hidden);
        addLayerNorm("embeddings.LayerNorm", hidden);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String layer = "encoder.layer." + i + ".";
            addLinear(layer + "attention.self.query", hidden, hidden);
            addLinear(layer + "attention.self.key", hidden, hidden);
            addLinear(layer + "attention.self.value", hidden, hidden);
            addLinear(layer + "attention.output.dense", hidden, hidden);
            addLayerNorm(layer + "attention.output.LayerNorm", hidden);
            addLinear(layer + "intermediate.dense", inner, hidden);
            addLinear(layer + "output.dense", hidden, inner);
            addLayerNorm(layer + "output.LayerNorm", hidden);
        }
    }

    public EncoderConfig config() {
        return config;
    }

    /** Parameters by Hugging Face name, in checkpoint order. */
    public Map<String, Parameter> namedParameters() {
        return named;
    }

    /** Shapes of the parameters, by the same names. */
    public Map<String, Shape> parameterShapes() {
        return shapes;
    }

    private void addLinear(String name, int out, int in) {
        add(name + ".weight", Parameter.Type.WEIGHT, out, in);
        add(name + ".bias", Parameter.Type.BIAS, out);
    }

    private void addLayerNorm(String name, int size) {
        add(name + ".weight", Parameter.Type.GAMMA, size);
        add(name + ".bias", Parameter.Type.BETA, size);
    }

    private void add(String name, Parameter.Type type, long... shape) {
        // No shape and no initializer on the parameter: its array is a view that FlatParameters sets, and
        // values always come from a checkpoint or from EncoderInitialization (seeded, engine-independent).
        named.put(name, addParameter(Parameter.builder().setName(name).setType(type).build()));
        shapes.put(name, new Shape(shape));
    }

    /**
     * Copies weights into the (initialized) parameters. Fails, naming every problem at once, when a
     * parameter is missing, a tensor is unexpected, or a shape differs.
     */
    public void loadWeights(Map<String, Tensor> weights, String source) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Parameter> entry : named.entrySet()) {
            Tensor tensor = weights.get(entry.getKey());
            long[] expected = shapes.get(entry.getKey()).getShape();
            if (tensor == null) {
                problems.add("missing " + entry.getKey() + " " + Arrays.toString(expected));
            } else if (!Arrays.equals(expected, tensor.shape())) {
                problems.add(entry.getKey() + " has shape " + tensor.shapeText() + ", the config needs "
                        + Arrays.toString(expected));
            }
        }
        for (String name : weights.keySet()) {
            if (!named.containsKey(name) && UNUSED_PREFIXES.stream().noneMatch(name::startsWith)) {
                problems.add("unexpected " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + " does not fit the " + config.modelType() + " config ("
                    + config.numHiddenLayers() + " layers, hidden " + config.hiddenSize() + "): "
                    + String.join("; ", problems));
        }
        // In place: the arrays are views of the model's flat parameter vector.
        named.forEach((name, parameter) -> FlatParameters.copyInto(parameter.getArray(), weights.get(name).data()));
    }

    /** The current weights as float32 tensors, by Hugging Face name. */
    public Map<String, Tensor> weights() {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        named.forEach((name, parameter) -> weights.put(name, new Tensor(name,
                parameter.getShape().getShape(), parameter.getArray().toType(DataType.FLOAT32, false).toFloatArray())));
        return weights;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.get(0).toType(DataType.INT64, false);
        NDArray mask = inputs.get(1).toType(DataType.FLOAT32, false);
        DropoutRates dropout = DropoutRates.from(params, training);
        NDArray hidden = dropout(embeddings(store, ids), dropout.hidden());
        // [batch, 1, 1, length]: 0 where attended, the most negative float where padded, as Hugging Face.
        // (Number operands are safe here and below only because the mask is not on the autograd path.)
        NDArray additiveMask = mask.neg().add(1).mul(-Float.MAX_VALUE).expandDims(1).expandDims(1);
        // One scalar for every layer: each Scalars.of is an allocation and a native call.
        NDArray attentionScale = Scalars.of(hidden, (float) Math.sqrt(config.headSize()));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            hidden = layer(store, "encoder.layer." + i + ".", hidden, additiveMask, attentionScale, dropout);
        }
        NDArray weights = mask.expandDims(2);
        NDArray pooled = hidden.mul(weights).sum(new int[] {1})
                .div(weights.sum(new int[] {1}).maximum(1e-9f));
        return new NDList(hidden, pooled);
    }

    private NDArray embeddings(ParameterStore store, NDArray ids) {
        NDArray positions;
        if (config.isRoberta()) {
            NDArray notPadding = ids.neq(config.padTokenId()).toType(DataType.INT64, false);
            positions = notPadding.cumSum(1).mul(notPadding).add(config.padTokenId());
        } else {
            positions = ids.getManager().arange(0, (int) ids.getShape().get(1), 1, DataType.INT64)
                    .expandDims(0).repeat(0, ids.getShape().get(0));
        }
        NDArray words = Embedding.embedding(ids, value(store, "embeddings.word_embeddings.weight", ids), SparseFormat.DENSE).head();
        NDArray position = Embedding.embedding(positions, value(store, "embeddings.position_embeddings.weight", ids),
                SparseFormat.DENSE).head();
        NDArray tokenType = value(store, "embeddings.token_type_embeddings.weight", ids).get(new NDIndex(0));
        tokenType.attach(ids.getManager()); // derived from a parameter: would otherwise live as long as the model
        return layerNorm(store, "embeddings.LayerNorm", words.add(position).add(tokenType));
    }

    private NDArray layer(ParameterStore store, String prefix, NDArray input, NDArray additiveMask,
                          NDArray attentionScale, DropoutRates dropout) {
        NDArray query = heads(linear(store, prefix + "attention.self.query", input));
        NDArray key = heads(linear(store, prefix + "attention.self.key", input));
        NDArray value = heads(linear(store, prefix + "attention.self.value", input));
        NDArray scores = query.matMul(key.transpose(0, 1, 3, 2));
        scores = scores.div(attentionScale).add(additiveMask);
        NDArray context = dropout(scores.softmax(-1), dropout.attention()).matMul(value).transpose(0, 2, 1, 3);
        Shape shape = input.getShape();
        context = context.reshape(shape.get(0), shape.get(1), config.hiddenSize());
        NDArray attention = layerNorm(store, prefix + "attention.output.LayerNorm",
                dropout(linear(store, prefix + "attention.output.dense", context), dropout.hidden()).add(input));
        NDArray intermediate = gelu(linear(store, prefix + "intermediate.dense", attention));
        return layerNorm(store, prefix + "output.LayerNorm",
                dropout(linear(store, prefix + "output.dense", intermediate), dropout.hidden()).add(attention));
    }

    /** Inverted dropout from the engine's generator (PyTorch's {@code torch.dropout}); none at rate 0. */
    private static NDArray dropout(NDArray x, float rate) {
        return rate == 0f ? x : Dropout.dropout(x, rate, true).head();
    }

    /** [batch, length, hidden] to [batch, heads, length, headSize]. */
    private NDArray heads(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), config.numAttentionHeads(), config.headSize())
                .transpose(0, 2, 1, 3);
    }

    /**
     * Exact (erf) GELU, as Hugging Face's "gelu": the engine's fused operator (one native call and one
     * autograd node instead of six, which counts in small steps).
     */
    private static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }

    private NDArray linear(ParameterStore store, String name, NDArray input) {
        return Linear.linear(input, value(store, name + ".weight", input), value(store, name + ".bias", input)).head();
    }

    private NDArray layerNorm(ParameterStore store, String name, NDArray input) {
        return LayerNorm.layerNorm(input, new Shape(config.hiddenSize()), value(store, name + ".weight", input),
                value(store, name + ".bias", input), config.layerNormEps()).head();
    }

    private NDArray value(ParameterStore store, String name, NDArray like) {
        return store.getValue(named.get(name), like.getDevice(), true);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.hiddenSize()),
                new Shape(ids.get(0), config.hiddenSize())};
    }
}
