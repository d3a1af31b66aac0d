package org.trafficllm.api.task.dto;

import org.osgi.dto.DTO;

/** Progress of a capture analysis. */
public class AnalysisProgressDTO extends DTO {
    public String capture;
    /** Packets or flows classified so far. */
    public long samplesDone;
    /** Frames read so far. */
    public long packetsRead;
    /** Bytes of the capture file read so far, and its size. */
    public long bytesDone;
    public long bytesTotal;
    /** Samples classified per second so far. */
    public double samplesPerSecond;
    /** Estimated milliseconds until the end, or -1 when unknown. */
    public long etaMillis;
}
