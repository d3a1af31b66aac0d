package org.trafficllm.api.capture;

import java.io.IOException;

/**
 * A capture could not be read to its end. The message names the file and the
 * place; the packets delivered before the failure stay delivered and are counted
 * in {@link #packetsRead()}.
 */
public class CaptureException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long packetsRead;

    public CaptureException(String message, long packetsRead) {
        super(message);
        this.packetsRead = packetsRead;
    }

    public CaptureException(String message, long packetsRead, Throwable cause) {
        super(message, cause);
        this.packetsRead = packetsRead;
    }

    /** Packets handed to the handler before the failure. */
    public long packetsRead() {
        return packetsRead;
    }
}
