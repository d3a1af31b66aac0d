package org.trafficllm.api.dataset;

import java.io.IOException;

/**
 * A dataset could not be built. The message is one line naming the input and the
 * place, e.g. {@code images-idx3-ubyte.gz: bad magic 0x00000801 at byte 0 (expected
 * 0x00000803)}. Output files of a failed build are never left behind looking
 * complete.
 */
public class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
