package dev.paper2code.model.contrastive;

/**
 * How the two encoders are trained against each other.
 *
 * @param temperature           InfoNCE temperature (the initial one when it is learnable)
 * @param symmetric             average paper-to-code and code-to-paper losses instead of paper-to-code only
 * @param sharedEncoder         one encoder for papers and code instead of two
 * @param learnableTemperature  learn ln(1/t), clamped so that t stays at least 0.01
 * @param weightDecay           AdamW decoupled weight decay
 */
public record ContrastiveOptions(float temperature, boolean symmetric, boolean sharedEncoder,
                                 boolean learnableTemperature, float weightDecay) {

    /** The seed project's setup: two encoders, paper-to-code InfoNCE at t = 0.07, weight decay 0.01. */
    public static ContrastiveOptions seedDefaults() {
        return new ContrastiveOptions(0.07f, false, false, false, 0.01f);
    }
}
