package org.trafficllm.capture.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.FlowEnd;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.FlowTableOptions;

class BidirectionalFlowTableTest {
    private static final int SYN = 0x002;
    private static final int ACK = 0x010;
    private static final int FIN = 0x001;
    private static final int RST = 0x004;
    private static final int PSH = 0x008;
    private static final long MS = 1_000_000L;

    private final List<FlowView> flows = new ArrayList<>();
    private final FlowTableOptions options = new FlowTableOptions();
    private long number;

    /** A TCP segment between 10.0.0.1 and 10.0.0.2; {@code fromClient} picks the direction. */
    private PacketView tcp(boolean fromClient, int clientPort, int flags, int payload, long millis) {
        TestFrames t = TestFrames.frame().ethernet(0x0800);
        t.bytes(0x45, 0).u16(40 + payload).u16(1).u16(0).bytes(64, 6).u16(0);
        t.bytes(fromClient ? new int[] {10, 0, 0, 1, 10, 0, 0, 2} : new int[] {10, 0, 0, 2, 10, 0, 0, 1});
        t.tcp(fromClient ? clientPort : 80, fromClient ? 80 : clientPort, 1, 1, flags).zeros(payload);
        return packet(t.build(), millis);
    }

    private PacketView packet(byte[] bytes, long millis) {
        return new DissectedFrame().dissect(bytes, 0, bytes.length, bytes.length, LinkLayer.ETHERNET, ++number,
                millis * MS);
    }

    private BidirectionalFlowTable table() {
        return new BidirectionalFlowTable(options, flows::add);
    }

    @Test
    void aClosedConnectionIsOneFlowIncludingItsLastAck() {
        BidirectionalFlowTable table = table();
        table.packet(tcp(true, 5000, SYN, 0, 0));
        table.packet(tcp(false, 5000, SYN | ACK, 0, 1));
        table.packet(tcp(true, 5000, ACK, 0, 2));
        table.packet(tcp(true, 5000, PSH | ACK, 100, 3));
        table.packet(tcp(false, 5000, PSH | ACK, 300, 4));
        table.packet(tcp(true, 5000, FIN | ACK, 0, 5));
        table.packet(tcp(false, 5000, FIN | ACK, 0, 6));
        assertThat(flows).isEmpty();
        table.packet(tcp(true, 5000, ACK, 0, 7));
        table.packet(tcp(true, 6000, SYN, 0, 3000));
        assertThat(flows).hasSize(1);
        FlowView flow = flows.get(0);
        assertThat(flow.end()).isEqualTo(FlowEnd.TCP_CLOSE);
        assertThat(flow.packets()).isEqualTo(8);
        assertThat(flow.clientPackets()).isEqualTo(5);
        assertThat(flow.serverPackets()).isEqualTo(3);
        assertThat(flow.clientBytes()).isEqualTo(5 * 54 + 100);
        assertThat(flow.serverBytes()).isEqualTo(3 * 54 + 300);
        assertThat(flow.key().clientAddress).isEqualTo("10.0.0.1");
        assertThat(flow.key().clientPort).isEqualTo(5000);
        assertThat(flow.key().serverAddress).isEqualTo("10.0.0.2");
        assertThat(flow.key().serverPort).isEqualTo(80);
        assertThat(flow.firstTimestampNanos()).isZero();
        assertThat(flow.lastTimestampNanos()).isEqualTo(7 * MS);
        assertThat(flow.firstPackets()).hasSize(8);
        assertThat(flow.isFromClient(flow.firstPackets().get(1))).isFalse();
        assertThat(flow.isFromClient(flow.firstPackets().get(2))).isTrue();
        assertThat(flow.toDTO().protocolName).isEqualTo("TCP");
    }

    @Test
    void aResetEndsTheFlowAndANewSynStartsAnother() {
        BidirectionalFlowTable table = table();
        table.packet(tcp(true, 5000, SYN, 0, 0));
        table.packet(tcp(false, 5000, RST | ACK, 0, 1));
        table.packet(tcp(true, 5000, RST, 0, 2));
        table.packet(tcp(true, 5000, SYN, 0, 3));
        table.packet(tcp(false, 5000, SYN | ACK, 0, 4));
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).end()).isEqualTo(FlowEnd.TCP_RESET);
        assertThat(flows.get(0).packets()).isEqualTo(3);
        table.flush();
        assertThat(flows).hasSize(2);
        assertThat(flows.get(1).end()).isEqualTo(FlowEnd.END_OF_CAPTURE);
        assertThat(flows.get(1).packets()).isEqualTo(2);
        assertThat(flows.get(1).id()).isEqualTo(1);
    }

    @Test
    void idleFlowsEndAndTheSameTupleStartsANewFlow() {
        options.idleTimeoutMillis = 1000;
        BidirectionalFlowTable table = table();
        table.packet(tcp(true, 5000, ACK, 10, 0));
        table.packet(tcp(true, 7000, ACK, 10, 900));
        assertThat(flows).isEmpty();
        table.packet(tcp(true, 5000, ACK, 10, 1500));
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).key().clientPort).isEqualTo(5000);
        assertThat(flows.get(0).end()).isEqualTo(FlowEnd.IDLE_TIMEOUT);
        assertThat(flows.get(0).packets()).isEqualTo(1);
        table.packet(tcp(false, 7000, ACK, 10, 1800));
        assertThat(flows).hasSize(1);
        table.expire(10_000 * MS);
        assertThat(flows).hasSize(3);
        // Least recently seen first.
        assertThat(flows.get(1).key().clientPort).isEqualTo(5000);
        assertThat(flows.get(1).id()).isEqualTo(2);
        assertThat(flows.get(2).key().clientPort).isEqualTo(7000);
        assertThat(flows.get(2).packets()).isEqualTo(2);
        assertThat(table.stats().flowsOpen).isZero();
    }

    @Test
    void keepsDetachedCopiesOfTheFirstPackets() {
        options.packetsPerFlow = 2;
        BidirectionalFlowTable table = table();
        byte[] reused = tcp(true, 5000, ACK, 10, 0).array();
        for (int i = 0; i < 5; i++) {
            table.packet(packet(reused, i));
        }
        Arrays.fill(reused, (byte) 0);
        table.flush();
        FlowView flow = flows.get(0);
        assertThat(flow.packets()).isEqualTo(5);
        assertThat(flow.firstPackets()).hasSize(2).allSatisfy(p -> assertThat(p.sourcePort()).isEqualTo(5000));
        assertThat(flow.firstPackets()).extracting(PacketView::number).containsExactly(2L, 3L);
    }

    @Test
    void udpIcmpAndNonIp() {
        BidirectionalFlowTable table = table();
        table.packet(packet(TestFrames.frame().ethernet(0x0800).ipv4(17, 28, 0).udp(53000, 53, 8).build(), 0));
        assertThat(table.lastFlowId()).isZero();
        table.packet(packet(TestFrames.frame().ethernet(0x0800).bytes(0x45, 0).u16(28).u16(0).u16(0).bytes(64, 17)
                .u16(0).bytes(10, 0, 0, 2, 10, 0, 0, 1).udp(53, 53000, 8).build(), 1));
        assertThat(table.lastFlowId()).isZero();
        table.packet(packet(TestFrames.frame().ethernet(0x0800).ipv4(1, 28, 0).bytes(8, 0).zeros(6).build(), 2));
        table.packet(packet(TestFrames.frame().ethernet(0x0800).ipv4(1, 28, 0).bytes(8, 0).zeros(6).build(), 3));
        assertThat(table.lastFlowId()).isEqualTo(1);
        table.packet(packet(TestFrames.frame().ethernet(0x0806).zeros(28).build(), 4));
        assertThat(table.lastFlowId()).isEqualTo(-1);
        table.flush();
        assertThat(flows).hasSize(2);
        assertThat(flows.get(0).key().protocol).isEqualTo(17);
        assertThat(flows.get(0).clientPackets()).isEqualTo(1);
        assertThat(flows.get(0).serverPackets()).isEqualTo(1);
        assertThat(flows.get(1).key().protocol).isEqualTo(1);
        assertThat(flows.get(1).key().clientPort).isZero();
        assertThat(flows.get(1).packets()).isEqualTo(2);
        assertThat(table.stats().ignoredPackets).isEqualTo(1);
        assertThat(table.stats().packets).isEqualTo(5);
    }

    @Test
    void laterFragmentsJoinTheFlowOfTheirFirst() {
        BidirectionalFlowTable table = table();
        table.packet(packet(TestFrames.frame().ethernet(0x0800).ipv4(17, 20 + 16, 0x2000).udp(1, 2, 40).zeros(8).build(), 0));
        table.packet(packet(TestFrames.frame().ethernet(0x0800).ipv4(17, 20 + 16, 2).zeros(16).build(), 1));
        table.packet(packet(TestFrames.frame().ethernet(0x0800).ipv4(17, 20 + 16, 0x2000).udp(3, 4, 40).zeros(8).build(), 2));
        table.flush();
        assertThat(flows).hasSize(2);
        assertThat(flows.get(0).packets()).isEqualTo(2);
        assertThat(flows.get(1).packets()).isEqualTo(1);
        assertThat(table.stats().ignoredPackets).isZero();
    }

    @Test
    void aFullTableEvictsTheLeastRecentlySeenFlow() {
        options.maxFlows = 2;
        BidirectionalFlowTable table = table();
        table.packet(tcp(true, 1, ACK, 0, 0));
        table.packet(tcp(true, 2, ACK, 0, 1));
        table.packet(tcp(true, 1, ACK, 0, 2));
        table.packet(tcp(true, 3, ACK, 0, 3));
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).key().clientPort).isEqualTo(2);
        assertThat(flows.get(0).end()).isEqualTo(FlowEnd.EVICTED);
    }
}
