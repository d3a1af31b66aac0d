package org.trafficllm.api.text;

/**
 * Text could not be read in the expected format. The one-line message names the
 * field (when known) and the character position.
 */
public class TextFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int position;

    public TextFormatException(String message, int position) {
        super(message);
        this.position = position;
    }

    /** Character index in the text where reading failed, or -1. */
    public int position() {
        return position;
    }
}
