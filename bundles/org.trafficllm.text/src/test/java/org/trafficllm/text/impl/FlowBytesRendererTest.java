package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;

class FlowBytesRendererTest {
    private final FlowAssemblyService flowService = new FlowAssemblyService(new PcapCaptureService());

    private List<FlowView> flows(String capture) throws Exception {
        List<FlowView> flows = new ArrayList<>();
        FlowTableOptions options = new FlowTableOptions();
        options.packetsPerFlow = 12;
        flowService.readFlows(TestData.file(capture), null, options, flows::add);
        return flows;
    }

    private static String hex(PacketView p, int limit) {
        int n = Math.min(limit, p.captureLength());
        byte[] bytes = new byte[n];
        System.arraycopy(p.array(), p.offset(), bytes, 0, n);
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void firstTenPacketsFirst128BytesJoinedWithPck() throws Exception {
        FlowView flow = flows("ndpi/pcap/1kxun.pcap").stream().filter(f -> f.packets() > 10).findFirst().orElseThrow();
        StringBuilder sb = new StringBuilder();
        assertThat(new FlowBytesRenderer().open(new RenderOptions()).render(flow, sb)).isTrue();
        StringBuilder expected = new StringBuilder();
        for (PacketView p : flow.firstPackets().subList(0, 10)) {
            expected.append("<pck>").append(hex(p, 128));
        }
        assertThat(sb.toString()).isEqualTo(expected.toString());
        assertThat(sb.toString().split("<pck>", -1)).hasSize(11).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(256));
    }

    @Test
    void maskingOverwritesIdentifiersAndChecksumsOnly() throws Exception {
        FlowView flow = flows("ndpi/pcap/1kxun.pcap").stream().filter(f -> f.key().protocol == 6).findFirst().orElseThrow();
        RenderOptions options = new RenderOptions();
        options.mask = EnumSet.of(MaskedIdentifier.MAC, MaskedIdentifier.IP, MaskedIdentifier.PORT);
        FlowRenderSession session = new FlowBytesRenderer().open(options);
        StringBuilder sb = new StringBuilder();
        session.render(flow, sb);
        String[] masked = sb.substring("<pck>".length()).split("<pck>");
        PacketView first = flow.firstPackets().get(0);
        String original = hex(first, 128);
        String m = masked[0];
        // Ethernet II, IPv4 without options, TCP: identifiers at fixed hex offsets.
        assertThat(m.substring(0, 24)).isEqualTo("000000000001" + "000000000002");
        assertThat(m.substring(24, 48)).isEqualTo(original.substring(24, 48)).as("type .. ttl/proto unchanged");
        assertThat(m.substring(48, 52)).isEqualTo("0000").as("IP checksum zeroed");
        assertThat(m.substring(52, 68)).isEqualTo("00000001" + "00000002");
        assertThat(m.substring(68, 76)).isEqualTo("0001" + "0002");
        assertThat(m.substring(76, 100)).isEqualTo(original.substring(76, 100)).as("seq, ack, offset, flags, window");
        assertThat(m.substring(100, 104)).isEqualTo("0000").as("TCP checksum zeroed");
        assertThat(m.substring(104)).isEqualTo(original.substring(104));
        assertThat(session.placeholders()).containsValues("IP_1", "IP_2", "PORT_1", "PORT_2", "MAC_1", "MAC_2");
        PacketView reply = flow.firstPackets().stream().filter(p -> !flow.isFromClient(p)).findFirst().orElseThrow();
        String replyHex = masked[flow.firstPackets().indexOf(reply)];
        assertThat(replyHex.substring(52, 76)).isEqualTo("00000002" + "00000001" + "0002" + "0001");
    }

    @Test
    void maskingAlsoCoversTheOuterHeadersOfTunnelledPackets() throws Exception {
        for (String capture : List.of("ndpi/pcap/4in4tunnel.pcap", "ndpi/pcap/6in4tunnel.pcap", "ndpi/pcap/ipv6_in_gtp.pcap")) {
            List<FlowView> tunnelled = flows(capture).stream()
                    .filter(f -> f.firstPackets().get(0).outerNetworkOffset() != f.firstPackets().get(0).networkOffset())
                    .toList();
            assertThat(tunnelled).as(capture).isNotEmpty();
            for (FlowView flow : tunnelled) {
                RenderOptions options = new RenderOptions();
                options.mask = EnumSet.of(MaskedIdentifier.IP, MaskedIdentifier.PORT);
                StringBuilder sb = new StringBuilder();
                new FlowBytesRenderer().open(options).render(flow, sb);
                String masked = sb.substring("<pck>".length()).split("<pck>")[0];
                PacketView p = flow.firstPackets().get(0);
                int outer = p.outerNetworkOffset() - p.offset();
                byte[] frame = java.util.Arrays.copyOfRange(p.array(), p.offset(), p.offset() + p.captureLength());
                boolean v4 = (frame[outer] & 0xf0) == 0x40;
                int src = outer + (v4 ? 12 : 8);
                int dst = outer + (v4 ? 16 : 24);
                int n = v4 ? 4 : 16;
                for (int address : new int[] { src, dst }) {
                    if (2 * (address + n) <= masked.length()) {
                        String original = HexFormat.of().formatHex(frame, address, address + n);
                        assertThat(masked.substring(2 * address, 2 * (address + n))).as(capture + " outer address")
                                .isNotEqualTo(original).matches("0+[0-9a-f]{1,4}");
                    }
                }
                int protocol = frame[outer + (v4 ? 9 : 6)] & 0xff;
                int udp = outer + (v4 ? (frame[outer] & 0x0f) * 4 : 40);
                if (protocol == 17 && 2 * (udp + 4) <= masked.length()) {
                    assertThat(masked.substring(2 * udp, 2 * (udp + 4))).as(capture + " outer UDP ports")
                            .isNotEqualTo(HexFormat.of().formatHex(frame, udp, udp + 4)).matches("000[0-9a-f]000[0-9a-f]");
                }
            }
        }
    }
}
