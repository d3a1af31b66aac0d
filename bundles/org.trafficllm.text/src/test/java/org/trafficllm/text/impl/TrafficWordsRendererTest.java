package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.dto.RenderOptions;

class TrafficWordsRendererTest {
    @TempDir
    Path dir;

    private final TestPackets t = new TestPackets();

    private byte[] syn() {
        // SYN with a window scale option (shift 7): header 24 bytes.
        return t.ethernet(0x0800).ipv4(6, 44, 0x0102, 1, 2).u16(40000).u16(443).u32(1000).u32(0).bytes(0x60, 0x02)
                .u16(64240).u16(0x1234).u16(0).bytes(3, 3, 7, 0).build();
    }

    private byte[] dnsQuery() {
        return t.ethernet(0x0800).ipv4(17, 28 + 4, 7, 1, 3).udp(5353, 53, 12).bytes(1, 2, 3, 4).build();
    }

    private byte[] arp() {
        return t.ethernet(0x0806).zeros(28).build();
    }

    @Test
    void rendersTrafficLlmFieldsInOrderWithTshark26Formats() throws Exception {
        List<PacketView> packets = TestPackets.read(dir, syn(), arp(), dnsQuery());
        PacketRenderSession session = new TrafficWordsRenderer().open(new RenderOptions());
        StringBuilder sb = new StringBuilder();
        assertThat(session.render(packets.get(0), sb)).isTrue();
        assertThat(sb.toString()).isEqualTo("frame.encap_type: 1, frame.time: Jan  1, 1970 00:00:01.000000000 UTC, "
                + "frame.offset_shift: 0.000000000, frame.time_epoch: 1.000000000, frame.time_delta: 0.000000000, "
                + "frame.time_relative: 0.000000000, frame.number: 1, frame.len: 58, frame.marked: 0, "
                + "frame.protocols: eth:ethertype:ip:tcp, eth.dst: 66:77:88:99:aa:bb, eth.dst_resolved: 66:77:88:99:aa:bb, "
                + "eth.src: 00:11:22:33:44:55, eth.src_resolved: 00:11:22:33:44:55, eth.type: 0x00000800, "
                + "ip.version: 4, ip.hdr_len: 20, ip.dsfield: 0x00000010, ip.dsfield.dscp: 4, ip.dsfield.ecn: 0, "
                + "ip.len: 44, ip.id: 0x00000102, ip.flags: 0x00004000, ip.flags.rb: 0, ip.flags.df: 1, ip.flags.mf: 0, "
                + "ip.frag_offset: 0, ip.ttl: 64, ip.proto: 6, ip.checksum: 0x0000beef, ip.checksum.status: 2, "
                + "ip.src: 192.168.0.1, ip.dst: 192.168.0.2, tcp.srcport: 40000, tcp.dstport: 443, tcp.stream: 0, "
                + "tcp.len: 0, tcp.seq: 0, tcp.nxtseq: 1, tcp.ack: 0, tcp.hdr_len: 24, tcp.flags: 0x00000002, "
                + "tcp.flags.res: 0, tcp.flags.ns: 0, tcp.flags.cwr: 0, tcp.flags.ecn: 0, tcp.flags.urg: 0, "
                + "tcp.flags.ack: 0, tcp.flags.push: 0, tcp.flags.reset: 0, tcp.flags.syn: 1, tcp.flags.fin: 0, "
                + "tcp.flags.str: \u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7S\u00b7, "
                + "tcp.window_size: 64240, tcp.checksum: 0x00001234, tcp.checksum.status: 2, tcp.urgent_pointer: 0, "
                + "tcp.time_relative: 0.000000000, tcp.time_delta: 0.000000000");
        sb.setLength(0);
        assertThat(session.render(packets.get(1), sb)).as("ARP is neither TCP nor UDP").isFalse();
        assertThat(sb).isEmpty();
        assertThat(session.render(packets.get(2), sb)).isTrue();
        assertThat(sb.toString())
                .contains("frame.time_delta: 0.001000000, frame.time_relative: 0.002000000, frame.number: 3")
                .contains("frame.protocols: eth:ethertype:ip:udp:dns")
                .endsWith("udp.srcport: 5353, udp.dstport: 53, udp.length: 12, udp.checksum: 0x0000abcd, "
                        + "udp.checksum.status: 2, udp.stream: 0")
                .doesNotContain("data.len");
    }

    @Test
    void maskingUsesStablePlaceholders() throws Exception {
        byte[] reply = t.ethernet(0x0800).ipv4(17, 28, 8, 3, 1).udp(53, 5353, 8).build();
        List<PacketView> packets = TestPackets.read(dir, dnsQuery(), reply, syn());
        RenderOptions options = new RenderOptions();
        options.mask = EnumSet.allOf(MaskedIdentifier.class);
        PacketRenderSession session = new TrafficWordsRenderer().open(options);
        StringBuilder query = new StringBuilder();
        StringBuilder answer = new StringBuilder();
        StringBuilder next = new StringBuilder();
        session.render(packets.get(0), query);
        session.render(packets.get(1), answer);
        session.render(packets.get(2), next);
        assertThat(query.toString()).contains("frame.time: TIME,", "frame.time_epoch: TIME,",
                "eth.dst: MAC_1, eth.dst_resolved: MAC_1, eth.src: MAC_2, eth.src_resolved: MAC_2",
                "ip.src: IP_1, ip.dst: IP_2", "udp.srcport: PORT_1, udp.dstport: PORT_2")
                .doesNotContain("192.168.0", "66:77", "5353");
        assertThat(answer.toString()).contains("ip.src: IP_2, ip.dst: IP_1", "udp.srcport: PORT_2, udp.dstport: PORT_1")
                .contains("frame.time_relative: 0.001000000");
        assertThat(next.toString()).contains("ip.src: IP_1, ip.dst: IP_3", "tcp.srcport: PORT_3, tcp.dstport: PORT_4");
        assertThat(session.placeholders()).containsEntry("192.168.0.1", "IP_1").containsEntry("192.168.0.3", "IP_2")
                .containsEntry("192.168.0.2", "IP_3").containsEntry("66:77:88:99:aa:bb", "MAC_1")
                .containsEntry("5353", "PORT_1").containsEntry("53", "PORT_2").hasSize(2 + 3 + 4);
    }

    @Test
    void tcpAnalysisFollowsTheStream() throws Exception {
        byte[] synAck = t.ethernet(0x0800).ipv4(6, 44, 3, 2, 1).u16(443).u16(40000).u32(5000).u32(1001).bytes(0x60, 0x12)
                .u16(65160).u16(0).u16(0).bytes(3, 3, 2, 0).build();
        byte[] request = t.ethernet(0x0800).ipv4(6, 40 + 3, 4, 1, 2).tcp(40000, 443, 1001, 5001, 0x18, 502)
                .bytes(0x16, 0x03, 0x01).build();
        List<PacketView> packets = TestPackets.read(dir, syn(), synAck, request);
        PacketRenderSession session = new TrafficWordsRenderer().open(new RenderOptions());
        StringBuilder sb = new StringBuilder();
        session.render(packets.get(0), sb);
        sb.setLength(0);
        session.render(packets.get(1), sb);
        assertThat(sb.toString()).contains("tcp.seq: 0, tcp.nxtseq: 1, tcp.ack: 1,", "tcp.window_size: 65160, tcp.checksum")
                .contains("tcp.time_relative: 0.001000000, tcp.time_delta: 0.001000000");
        sb.setLength(0);
        session.render(packets.get(2), sb);
        assertThat(sb.toString()).contains("tcp.len: 3, tcp.seq: 1, tcp.nxtseq: 4, tcp.ack: 1,")
                .contains("tcp.flags.str: \u00b7\u00b7\u00b7\u00b7\u00b7\u00b7\u00b7AP\u00b7\u00b7\u00b7")
                .contains("tcp.window_size: 64256, tcp.window_size_scalefactor: 128,")
                .contains("tcp.analysis.bytes_in_flight: 3, tcp.analysis.push_bytes_sent: 3, tcp.payload: 16:03:01")
                .contains("frame.protocols: eth:ethertype:ip:tcp, ");
    }

    @Test
    void payloadIsCutToTheHexLimit() throws Exception {
        byte[] big = t.ethernet(0x0800).ipv4(6, 40 + 600, 5, 1, 2).tcp(1, 2, 0, 0, 0x18, 100).zeros(600).build();
        List<PacketView> packets = TestPackets.read(dir, big);
        StringBuilder sb = new StringBuilder();
        new TrafficWordsRenderer().open(new RenderOptions()).render(packets.get(0), sb);
        int start = sb.indexOf("tcp.payload: ") + "tcp.payload: ".length();
        String payload = sb.substring(start, sb.indexOf(", ", start));
        // tshark 2.6's colon-separated bytes, cut at 1000 characters inside the 334th byte.
        assertThat(payload).hasSize(1000).matches("00(:00){332}:0");
        assertThat(sb.toString()).contains("tcp.len: 600,", "data.len: 600");
    }
}
