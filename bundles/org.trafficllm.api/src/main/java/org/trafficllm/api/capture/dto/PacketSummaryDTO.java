package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** One row of a per-packet listing. */
public class PacketSummaryDTO extends DTO {
    /** Position in the capture, from 1. */
    public long number;
    /** Capture time, nanoseconds since the epoch. */
    public long timestampNanos;
    /** Captured bytes. */
    public int captureLength;
    /** Wire bytes. */
    public int originalLength;
    /** The innermost protocol understood: {@code TCP}, {@code UDP}, {@code ICMP}, {@code ICMPv6}, {@code IPv4}, {@code IPv6}, {@code ARP}, or the EtherType in hex. */
    public String protocol;
    /** Source IP address (or MAC for non-IP frames), null when unknown. */
    public String source;
    /** Destination IP address (or MAC for non-IP frames), null when unknown. */
    public String destination;
    /** Source port, or -1. */
    public int sourcePort;
    /** Destination port, or -1. */
    public int destinationPort;
    /** Short details: TCP flags and payload length, ICMP type/code, fragment offset. */
    public String info;
    /** The header the frame ends inside of, or null. */
    public String truncatedHeader;
}
