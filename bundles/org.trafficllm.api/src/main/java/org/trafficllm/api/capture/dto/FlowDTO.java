package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** One row of a per-flow listing. */
public class FlowDTO extends DTO {
    /** Creation order in its table, from 0. */
    public long id;
    /** Addresses and ports, client first. */
    public FlowKeyDTO key;
    /** Protocol name: {@code TCP}, {@code UDP}, {@code ICMP}, {@code ICMPv6} or the number. */
    public String protocolName;
    /** Time of the first packet, nanoseconds since the epoch. */
    public long firstTimestampNanos;
    /** Time of the last packet, nanoseconds since the epoch. */
    public long lastTimestampNanos;
    /** Packets in both directions. */
    public long packets;
    /** Wire bytes in both directions. */
    public long bytes;
    /** Packets from the client. */
    public long clientPackets;
    /** Packets from the server. */
    public long serverPackets;
    /** Wire bytes from the client. */
    public long clientBytes;
    /** Wire bytes from the server. */
    public long serverBytes;
    /** Why the flow ended (a {@code FlowEnd} name). */
    public String end;
}
