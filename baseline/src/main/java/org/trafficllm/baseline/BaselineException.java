package org.trafficllm.baseline;

/** Bad input or a failed run; the message is one line naming the input and the place. */
public class BaselineException extends Exception {
    private static final long serialVersionUID = 1L;

    public BaselineException(String message) {
        super(message);
    }

    public BaselineException(String message, Throwable cause) {
        super(message, cause);
    }
}
