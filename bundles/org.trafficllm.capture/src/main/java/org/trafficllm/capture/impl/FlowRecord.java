package org.trafficllm.capture.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.trafficllm.api.capture.FlowEnd;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.FlowDTO;
import org.trafficllm.api.capture.dto.FlowKeyDTO;

/** One flow of a {@link BidirectionalFlowTable}: counters, TCP close state and kept packets. */
final class FlowRecord implements FlowView {
    final FlowKey key;
    private final long id;
    private final int ipVersion;
    private final byte[] clientAddress;
    private final int clientPort;
    private final byte[] serverAddress;
    private final int serverPort;
    private final List<PacketView> kept = new ArrayList<>();
    private long first;
    private long last;
    private long clientPackets;
    private long clientBytes;
    private long serverPackets;
    private long serverBytes;
    private boolean clientFin;
    private boolean serverFin;
    private FlowEnd closeReason;
    private long closingSince;
    private FlowEnd end;
    private FlowKeyDTO keyDto;

    FlowRecord(long id, FlowKey key, PacketView firstPacket) {
        this.id = id;
        this.key = key;
        this.ipVersion = key.ipVersion;
        int length = ipVersion == 4 ? 4 : 16;
        this.clientAddress = Arrays.copyOfRange(firstPacket.array(), firstPacket.sourceAddressOffset(),
                firstPacket.sourceAddressOffset() + length);
        this.serverAddress = Arrays.copyOfRange(firstPacket.array(), firstPacket.destinationAddressOffset(),
                firstPacket.destinationAddressOffset() + length);
        boolean ports = key.protocol == 6 || key.protocol == 17;
        this.clientPort = ports ? Math.max(firstPacket.sourcePort(), 0) : 0;
        this.serverPort = ports ? Math.max(firstPacket.destinationPort(), 0) : 0;
        this.first = firstPacket.timestampNanos();
        this.last = first;
    }

    /** Counts {@code p}, keeping a detached copy while fewer than {@code keep} are kept. */
    void add(PacketView p, boolean fromClient, int keep) {
        long ts = p.timestampNanos();
        first = Math.min(first, ts);
        last = Math.max(last, ts);
        if (fromClient) {
            clientPackets++;
            clientBytes += p.originalLength();
        } else {
            serverPackets++;
            serverBytes += p.originalLength();
        }
        if (kept.size() < keep) {
            kept.add(p.detach());
        }
        int flags = p.tcpFlags();
        if (flags > 0 && closeReason == null) {
            if ((flags & 0x004) != 0) {
                closeReason = FlowEnd.TCP_RESET;
                closingSince = ts;
            } else if ((flags & 0x001) != 0) {
                if (fromClient) {
                    clientFin = true;
                } else {
                    serverFin = true;
                }
                if (clientFin && serverFin) {
                    closeReason = FlowEnd.TCP_CLOSE;
                    closingSince = ts;
                }
            }
        }
    }

    boolean isClientSide(PacketView p) {
        int length = ipVersion == 4 ? 4 : 16;
        if (p.ipVersion() != ipVersion || p.sourceAddressOffset() < 0) {
            return false;
        }
        if (!Arrays.equals(p.array(), p.sourceAddressOffset(), p.sourceAddressOffset() + length, clientAddress, 0, length)) {
            return false;
        }
        boolean ports = key.protocol == 6 || key.protocol == 17;
        return !ports || Math.max(p.sourcePort(), 0) == clientPort;
    }

    boolean isClosing() {
        return closeReason != null;
    }

    long closingSince() {
        return closingSince;
    }

    boolean isEnded() {
        return end != null;
    }

    void end(FlowEnd reason) {
        end = closeReason != null ? closeReason : reason;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public FlowKeyDTO key() {
        if (keyDto == null) {
            FlowKeyDTO k = new FlowKeyDTO();
            k.ipVersion = ipVersion;
            k.protocol = key.protocol;
            k.clientAddress = AddressText.ip(clientAddress, 0, clientAddress.length);
            k.clientPort = clientPort;
            k.serverAddress = AddressText.ip(serverAddress, 0, serverAddress.length);
            k.serverPort = serverPort;
            keyDto = k;
        }
        return keyDto;
    }

    @Override
    public long firstTimestampNanos() {
        return first;
    }

    @Override
    public long lastTimestampNanos() {
        return last;
    }

    @Override
    public long packets() {
        return clientPackets + serverPackets;
    }

    @Override
    public long bytes() {
        return clientBytes + serverBytes;
    }

    @Override
    public long clientPackets() {
        return clientPackets;
    }

    @Override
    public long clientBytes() {
        return clientBytes;
    }

    @Override
    public long serverPackets() {
        return serverPackets;
    }

    @Override
    public long serverBytes() {
        return serverBytes;
    }

    @Override
    public FlowEnd end() {
        return end;
    }

    @Override
    public List<PacketView> firstPackets() {
        return Collections.unmodifiableList(kept);
    }

    @Override
    public boolean isFromClient(PacketView packet) {
        return isClientSide(packet);
    }

    @Override
    public FlowDTO toDTO() {
        FlowDTO dto = new FlowDTO();
        dto.id = id;
        dto.key = key();
        dto.protocolName = PacketSummaries.protocolName(key.protocol, ipVersion);
        dto.firstTimestampNanos = first;
        dto.lastTimestampNanos = last;
        dto.packets = packets();
        dto.bytes = bytes();
        dto.clientPackets = clientPackets;
        dto.serverPackets = serverPackets;
        dto.clientBytes = clientBytes;
        dto.serverBytes = serverBytes;
        dto.end = end == null ? null : end.name();
        return dto;
    }

    @Override
    public String toString() {
        FlowKeyDTO k = key();
        return "flow " + id + " " + PacketSummaries.protocolName(k.protocol, ipVersion) + " " + k.clientAddress + ":"
                + k.clientPort + " <-> " + k.serverAddress + ":" + k.serverPort + " " + packets() + " packets " + end;
    }
}
