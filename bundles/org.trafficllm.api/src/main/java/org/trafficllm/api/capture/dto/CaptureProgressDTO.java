package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** Progress of reading one capture file. */
public class CaptureProgressDTO extends DTO {
    /** The file being read. */
    public String source;
    /** Bytes of the file read so far (estimated for pcapng). */
    public long bytesDone;
    /** Size of the file in bytes. */
    public long bytesTotal;
    /** Frames delivered so far. */
    public long packets;
    /** Frames per second so far. */
    public double packetsPerSecond;
    /** Estimated nanoseconds until the end, or -1 when unknown. */
    public long etaNanos;
}
