package org.trafficllm.api.tuning;

/**
 * A tuning or pretraining job could not start, continue or finish. The message is one
 * line naming the input and the place, e.g. {@code mtd_train.jsonl:17: not JSON:
 * Unexpected end-of-input}. Input problems are found before the first training step.
 */
public class TuningException extends Exception {
    private static final long serialVersionUID = 1L;

    public TuningException(String message) {
        super(message);
    }

    public TuningException(String message, Throwable cause) {
        super(message, cause);
    }
}
