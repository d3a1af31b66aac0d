package org.trafficllm.api.tokenizer;

import java.io.IOException;

/**
 * A tokenizer job could not run or finish. The message is one line and names the input and the
 * place, e.g. {@code base.json: model.type is "Unigram", expected "BPE"}. Nothing is written
 * when a job fails before training starts.
 */
public class TokenizerException extends IOException {
    private static final long serialVersionUID = 1L;

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
