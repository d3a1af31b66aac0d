package org.trafficllm.api.capture;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.capture.dto.FlowDTO;
import org.trafficllm.api.capture.dto.FlowKeyDTO;

/**
 * A finished bidirectional flow: both directions of one 5-tuple (or 3-tuple for
 * IP protocols without ports), its counters, and detached copies of its first
 * packets. The side that sent the first packet is the client.
 */
@ProviderType
public interface FlowView {

    /** Creation order in its table, counting from 0. */
    long id();

    /** The flow's addresses and ports, client first. */
    FlowKeyDTO key();

    /** Time of the first packet, in nanoseconds since the epoch. */
    long firstTimestampNanos();

    /** Time of the last packet, in nanoseconds since the epoch. */
    long lastTimestampNanos();

    /** Packets in both directions. */
    long packets();

    /** Wire bytes (original frame lengths) in both directions. */
    long bytes();

    /** Packets sent by the client. */
    long clientPackets();

    /** Wire bytes sent by the client. */
    long clientBytes();

    /** Packets sent by the server. */
    long serverPackets();

    /** Wire bytes sent by the server. */
    long serverBytes();

    /** Why the flow ended. */
    FlowEnd end();

    /** The first packets of the flow in capture order, detached, at most the table's limit. */
    List<PacketView> firstPackets();

    /** True when {@code packet} of this flow was sent by the client. */
    boolean isFromClient(PacketView packet);

    /** A one-row summary for tables and listings. */
    FlowDTO toDTO();
}
