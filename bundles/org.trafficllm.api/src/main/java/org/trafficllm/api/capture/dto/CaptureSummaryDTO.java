package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** What a read or a live capture saw. */
public class CaptureSummaryDTO extends DTO {
    /** The file read, or the interface name of a live capture. */
    public String source;
    /** {@code pcap}, {@code pcapng} or {@code live}. */
    public String format;
    /** The link type number. */
    public int linkType;
    /** The link type's name (e.g. {@code EN10MB}, {@code LINUX_SLL}). */
    public String linkTypeName;
    /** Frames delivered to the handler. */
    public long packets;
    /** Captured bytes of those frames. */
    public long capturedBytes;
    /** Wire bytes (original lengths) of those frames. */
    public long wireBytes;
    /** Frames whose bytes ended inside a header. */
    public long truncatedPackets;
    /** Frames without an IPv4 or IPv6 header. */
    public long nonIpPackets;
    /** Time of the first frame, nanoseconds since the epoch; 0 without frames. */
    public long firstTimestampNanos;
    /** Time of the last frame, nanoseconds since the epoch; 0 without frames. */
    public long lastTimestampNanos;
    /** Wall time the read took, in nanoseconds. */
    public long elapsedNanos;
}
