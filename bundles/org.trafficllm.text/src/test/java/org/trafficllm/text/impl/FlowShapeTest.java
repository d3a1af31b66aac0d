package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.dto.FlowKeyDTO;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.dto.RenderOptions;

class FlowShapeTest {
    /** nDPI captures of tunnels and encrypted traffic over TCP and UDP. */
    private static final List<String> CAPTURES = List.of("443-opvn.pcap", "wireguard.pcap", "tor.pcap", "443-git.pcap",
            "quic.pcap", "dns.pcap", "1kxun.pcap");

    /** One packet as tshark reads it: its source end point and what TCP or UDP carries. */
    private record Sent(String source, int payload) {
    }

    @Test
    void payloadSizesAndDirectionsAgreeWithTshark() throws Exception {
        int compared = 0;
        int servers = 0;
        List<String> disagreements = new ArrayList<>();
        for (String capture : CAPTURES) {
            Path file = TestData.file("ndpi/pcap/" + capture);
            Map<String, List<Sent>> conversations = tsharkPayloads(file);
            for (FlowView flow : TsharkConversations.flows(file)) {
                FlowKeyDTO k = flow.key();
                if (k.protocol != 6 && k.protocol != 17) {
                    continue;
                }
                List<Sent> theirs = conversations.get(TsharkConversations.key(k) + " " + k.protocol);
                if (theirs == null || theirs.size() != flow.packets()) {
                    continue; // a conversation the flow table split at a timeout or that tshark reads otherwise
                }
                String client = TsharkConversations.endPoint(k.clientAddress, k.clientPort);
                StringBuilder expected = new StringBuilder(FlowShape.PAYLOADS).append(':');
                for (Sent s : theirs.subList(0, Math.min(10, theirs.size()))) {
                    boolean fromClient = s.source.equals(client);
                    servers += fromClient ? 0 : 1;
                    expected.append(' ').append(fromClient ? '>' : '<').append(s.payload);
                }
                StringBuilder ours = new StringBuilder();
                FlowShape.append(flow, 10, ours);
                String payloads = ours.substring(ours.indexOf(FlowShape.PAYLOADS), ours.length() - 2);
                compared++;
                if (!payloads.contentEquals(expected)) {
                    disagreements.add(capture + " " + TsharkConversations.key(k) + ": ours " + payloads + ", tshark " + expected);
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(compared).isGreaterThan(50);
        assertThat(servers).isGreaterThan(100);
    }

    @Test
    void countersAndDurationAreTheFlowsAndTheBytesFollowUnchanged() throws Exception {
        RenderOptions options = new RenderOptions();
        options.mask = EnumSet.allOf(MaskedIdentifier.class);
        FlowRenderSession shaped = new FlowBytesShapeRenderer().open(options);
        FlowRenderSession plain = new FlowBytesRenderer().open(options);
        int rendered = 0;
        for (FlowView flow : TsharkConversations.flows(TestData.file("ndpi/pcap/443-opvn.pcap"))) {
            StringBuilder a = new StringBuilder();
            StringBuilder b = new StringBuilder();
            assertThat(shaped.render(flow, a)).isEqualTo(plain.render(flow, b)).isTrue();
            long ms = Math.round((flow.lastTimestampNanos() - flow.firstTimestampNanos()) / 1e6);
            String head = String.format("flow.packets: %d %d, flow.bytes: %d %d, flow.duration: %d.%03d, flow.payloads:",
                    flow.clientPackets(), flow.serverPackets(), flow.clientBytes(), flow.serverBytes(), ms / 1000, ms % 1000);
            assertThat(a.toString()).startsWith(head).endsWith(", " + b);
            assertThat(a.substring(head.length(), a.length() - b.length() - 2).trim().split(" "))
                    .hasSize((int) Math.min(10, flow.packets())).allMatch(s -> s.matches("[<>][0-9]+"));
            rendered++;
        }
        assertThat(rendered).isGreaterThan(0);
        assertThat(shaped.placeholders()).isEqualTo(plain.placeholders()).isNotEmpty();
    }

    @Test
    void durationIsRoundedToTheMillisecond() {
        StringBuilder sb = new StringBuilder();
        FlowShape.milliseconds(sb, 0);
        sb.append(' ');
        FlowShape.milliseconds(sb, 1_499_999L);
        sb.append(' ');
        FlowShape.milliseconds(sb, 1_500_000L);
        sb.append(' ');
        FlowShape.milliseconds(sb, 12_345_678_901L);
        sb.append(' ');
        FlowShape.milliseconds(sb, 90_000_000L);
        assertThat(sb.toString()).isEqualTo("0.000 0.001 0.002 12.346 0.090");
    }

    /** Per conversation and IP protocol, every TCP or UDP packet tshark reads, in order. */
    private static Map<String, List<Sent>> tsharkPayloads(Path capture) throws Exception {
        Map<String, List<Sent>> conversations = new HashMap<>();
        for (String[] v : TsharkConversations.rows(capture,
                "(tcp || udp) && !icmp && !icmpv6 && !(ip.flags.mf == 1) && !(ip.frag_offset > 0)", "ip.src", "ipv6.src",
                "tcp.srcport", "udp.srcport", "ip.dst", "ipv6.dst", "tcp.dstport", "udp.dstport", "tcp.len",
                "udp.length")) {
            boolean tcp = !v[2].isEmpty();
            String src = TsharkConversations.last(v[1].isEmpty() ? v[0] : v[1]);
            String dst = TsharkConversations.last(v[5].isEmpty() ? v[4] : v[5]);
            int sport = Integer.parseInt(TsharkConversations.last(tcp ? v[2] : v[3]));
            int dport = Integer.parseInt(TsharkConversations.last(tcp ? v[6] : v[7]));
            int payload = tcp ? Integer.parseInt(TsharkConversations.last(v[8]))
                    : Integer.parseInt(TsharkConversations.last(v[9])) - 8;
            String key = TsharkConversations.key(src, sport, dst, dport) + " " + (tcp ? 6 : 17);
            conversations.computeIfAbsent(key, x -> new ArrayList<>())
                    .add(new Sent(TsharkConversations.endPoint(src, sport), payload));
        }
        return conversations;
    }
}
