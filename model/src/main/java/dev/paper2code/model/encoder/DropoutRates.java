package dev.paper2code.model.encoder;

import ai.djl.util.PairList;

/**
 * Dropout probabilities of one training forward, as Hugging Face applies them: {@code hidden} after the
 * embeddings and after each attention-output and feed-forward projection, {@code attention} on the
 * attention probabilities. A forward without them (evaluation, embedding) applies none.
 */
public record DropoutRates(float hidden, float attention) {
    /** Key under which a forward's parameter list carries the rates. */
    public static final String PARAMETER = "dropout";
    public static final DropoutRates OFF = new DropoutRates(0f, 0f);

    public DropoutRates {
        if (!(hidden >= 0 && hidden < 1) || !(attention >= 0 && attention < 1)) {
            throw new IllegalArgumentException("dropout probabilities must be in [0, 1), got " + hidden + " and " + attention);
        }
    }

    /** The rates a Hugging Face config.json trains with. */
    public static DropoutRates of(EncoderConfig config) {
        return new DropoutRates(config.hiddenDropoutProb(), config.attentionProbsDropoutProb());
    }

    public boolean isOff() {
        return hidden == 0f && attention == 0f;
    }

    /** A forward parameter list that carries these rates. */
    public PairList<String, Object> asForwardParameters() {
        PairList<String, Object> parameters = new PairList<>();
        parameters.add(PARAMETER, this);
        return parameters;
    }

    /** The rates a forward was given; none when it was given none or is not training. */
    static DropoutRates from(PairList<String, Object> parameters, boolean training) {
        if (!training || parameters == null) {
            return OFF;
        }
        Object rates = parameters.get(PARAMETER);
        return rates instanceof DropoutRates given ? given : OFF;
    }
}
