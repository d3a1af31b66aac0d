package org.trafficllm.api.capture;

import java.io.IOException;

/**
 * A capture could not be opened, read to its end, captured or written. The message
 * is one line naming the input and the place, e.g. {@code capture.pcap: truncated
 * record at byte 18344 (packet 212): 60 of 1514 bytes}. Packets delivered before
 * the failure stay delivered and are counted in {@link #packetsRead()}.
 */
public class CaptureException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long packetsRead;
    private final long byteOffset;

    public CaptureException(String message, long packetsRead) {
        this(message, packetsRead, -1, null);
    }

    public CaptureException(String message, long packetsRead, Throwable cause) {
        this(message, packetsRead, -1, cause);
    }

    public CaptureException(String message, long packetsRead, long byteOffset, Throwable cause) {
        super(message, cause);
        this.packetsRead = packetsRead;
        this.byteOffset = byteOffset;
    }

    /** Packets handed to the handler before the failure. */
    public long packetsRead() {
        return packetsRead;
    }

    /** Byte offset in the file where the damage starts, or -1 when not known. */
    public long byteOffset() {
        return byteOffset;
    }
}
