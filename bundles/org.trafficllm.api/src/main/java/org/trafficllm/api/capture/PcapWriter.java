package org.trafficllm.api.capture;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.capture.dto.FrameDTO;

/**
 * Writes frames into a new pcap file. Every written frame is on disk once
 * {@link #close()} returns; a failing write leaves the frames before it readable.
 */
@ProviderType
public interface PcapWriter extends AutoCloseable {

    /** Appends one frame; its bytes are copied. */
    void write(long timestampNanos, byte[] data, int offset, int length, int originalLength) throws CaptureException;

    /** Appends a frame; {@link FrameDTO#linkType} must match the file's. */
    void write(FrameDTO frame) throws CaptureException;

    /** Appends the frame under a view. */
    void write(PacketView packet) throws CaptureException;

    /** Frames written so far. */
    long packetsWritten();

    /** Flushes and closes the file. */
    @Override
    void close() throws CaptureException;
}
