package dev.paper2code.model.contrastive;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.model.encoder.TransformerEncoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The paper encoder and the code encoder (or one encoder shared by both sides), plus the optional
 * learnable logit scale (ln 1/temperature, as CLIP).
 *
 * <p>Input: paper ids, paper mask, code ids, code mask. Output: paper embeddings, code embeddings and,
 * when the temperature is learnable, the logit scale.
 */
public final class DualEncoder extends AbstractBlock {
    public static final String LOGIT_SCALE = "logit_scale";

    private final TransformerEncoder paper;
    private final TransformerEncoder code;
    private final Parameter logitScale;
    private final float initialLogitScale;

    public DualEncoder(EncoderConfig config, boolean sharedEncoder, Float learnableInitialTemperature) {
        paper = addChildBlock("paper", new TransformerEncoder(config));
        code = sharedEncoder ? paper : addChildBlock("code", new TransformerEncoder(config));
        // Like the encoders' parameters, the logit scale gets its array (a view) from FlatParameters.
        logitScale = learnableInitialTemperature == null ? null : addParameter(Parameter.builder()
                .setName(LOGIT_SCALE)
                .setType(Parameter.Type.OTHER)
                .build());
        initialLogitScale = learnableInitialTemperature == null ? 0f : (float) Math.log(1.0 / learnableInitialTemperature);
    }

    /** ln(1 / initial temperature), the logit scale's starting value when it is learned. */
    public float initialLogitScale() {
        return initialLogitScale;
    }

    public TransformerEncoder paperEncoder() {
        return paper;
    }

    public TransformerEncoder codeEncoder() {
        return code;
    }

    public boolean sharesEncoder() {
        return paper == code;
    }

    public boolean learnsTemperature() {
        return logitScale != null;
    }

    public Parameter logitScale() {
        return logitScale;
    }

    /** Every trainable parameter under a stable name: {@code paper.}, {@code code.} or {@code shared.} plus the Hugging Face name. */
    public Map<String, Parameter> namedParameters() {
        return named(TransformerEncoder::namedParameters, logitScale);
    }

    /** The shape of every parameter of {@link #namedParameters}, by the same names. */
    public Map<String, Shape> namedShapes() {
        return named(TransformerEncoder::parameterShapes, new Shape(1));
    }

    /** The encoders' entries under the prefixed names, then the logit scale's (when learned): one naming for both maps. */
    private <T> Map<String, T> named(Function<TransformerEncoder, Map<String, T>> ofEncoder, T logitScaleEntry) {
        Map<String, T> all = new LinkedHashMap<>();
        if (sharesEncoder()) {
            ofEncoder.apply(paper).forEach((name, value) -> all.put("shared." + name, value));
        } else {
            ofEncoder.apply(paper).forEach((name, value) -> all.put("paper." + name, value));
            ofEncoder.apply(code).forEach((name, value) -> all.put("code." + name, value));
        }
        if (logitScale != null) {
            all.put(LOGIT_SCALE, logitScaleEntry);
        }
        return all;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList papers = paper.forward(store, new NDList(inputs.get(0), inputs.get(1)), training, params);
        NDList codes = code.forward(store, new NDList(inputs.get(2), inputs.get(3)), training, params);
        NDList outputs = new NDList(papers.get(1), codes.get(1));
        if (logitScale != null) {
            outputs.add(store.getValue(logitScale, inputs.get(0).getDevice(), training));
        }
        return outputs;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        paper.initialize(manager, dataType, inputShapes[0], inputShapes[1]);
        if (!sharesEncoder()) {
            code.initialize(manager, dataType, inputShapes[2], inputShapes[3]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long hidden = paper.config().hiddenSize();
        Shape papers = new Shape(inputShapes[0].get(0), hidden);
        Shape codes = new Shape(inputShapes[2].get(0), hidden);
        return logitScale == null ? new Shape[] {papers, codes} : new Shape[] {papers, codes, new Shape(1)};
    }
}
