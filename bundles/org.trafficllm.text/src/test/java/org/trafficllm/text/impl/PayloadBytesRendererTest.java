package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;

class PayloadBytesRendererTest {
    private final FlowAssemblyService flowService = new FlowAssemblyService(new PcapCaptureService());
    private final FlowRenderSession session = new PayloadBytesRenderer().open(new RenderOptions());

    private List<FlowView> flows(String capture) throws Exception {
        List<FlowView> flows = new ArrayList<>();
        FlowTableOptions options = new FlowTableOptions();
        options.packetsPerFlow = 32;
        flowService.readFlows(TestData.file(capture), null, options, flows::add);
        return flows;
    }

    private static String render(FlowRenderSession session, FlowView flow) {
        StringBuilder sb = new StringBuilder();
        return session.render(flow, sb) ? sb.toString() : null;
    }

    @Test
    void aSessionIsItsPayloadsInPacketOrderCutTo784Bytes() throws Exception {
        FlowView flow = flows("ndpi/pcap/1kxun.pcap").stream()
                .filter(f -> f.key().protocol == 6 && payloadBytes(f).length > 784).findFirst().orElseThrow();
        byte[] payload = payloadBytes(flow);
        String text = render(session, flow);
        assertThat(text).startsWith("<pck>").doesNotContain(" ");
        byte[] rendered = HexFormat.of().parseHex(text.substring("<pck>".length()));
        assertThat(rendered).hasSizeLessThanOrEqualTo(784).isEqualTo(Arrays.copyOf(payload, rendered.length));
        assertThat(rendered[rendered.length - 1]).isNotZero();
    }

    @Test
    void anHttpRequestStartsWithItsMethodAndAFlowWithoutPayloadRendersNothing() throws Exception {
        FlowView http = flows("ndpi/pcap/1kxun.pcap").stream().filter(f -> startsWith(payloadBytes(f), "GET "))
                .findFirst().orElseThrow();
        assertThat(render(session, http)).startsWith("<pck>" + HexFormat.of().formatHex("GET ".getBytes(StandardCharsets.US_ASCII)));
        FlowView empty = flows("ndpi/pcap/1kxun.pcap").stream().filter(f -> payloadBytes(f).length == 0).findFirst()
                .orElseThrow();
        assertThat(session.render(empty, new StringBuilder())).isFalse();
    }

    /** The flow's transport payloads read packet by packet from the raw frames. */
    private static byte[] payloadBytes(FlowView flow) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PacketView p : flow.firstPackets()) {
            if (p.payloadOffset() >= 0) {
                out.write(p.array(), p.payloadOffset(), p.payloadLength());
            }
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        return bytes.length >= p.length && Arrays.equals(bytes, 0, p.length, p, 0, p.length);
    }
}
