package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** A frame to write: its time, link type and bytes. */
public class FrameDTO extends DTO {
    /** Capture time, nanoseconds since the epoch. */
    public long timestampNanos;
    /** Link type number of {@link #data}. */
    public int linkType = 1;
    /** The frame's bytes, link header first. */
    public byte[] data;
    /** Wire length; 0 means {@code data.length}. */
    public int originalLength;
}
