package org.trafficllm.capture.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.FlowEnd;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.dto.CaptureProgressDTO;

/** The project's own example captures (examples/captures) read back as the flows they were made of. */
class ExampleCapturesTest {
    private static final Path EXAMPLES = Path.of("../../examples/captures");
    private final FlowAssemblyService flows = new FlowAssemblyService(new PcapCaptureService());

    private List<FlowView> flowsOf(String name) throws Exception {
        List<FlowView> found = new ArrayList<>();
        flows.readFlows(EXAMPLES.resolve(name), null, null, found::add);
        return found;
    }

    @Test
    void httpGetIsOneClosedConnection() throws Exception {
        List<FlowView> found = flowsOf("http-get.pcap");
        assertThat(found).hasSize(1);
        FlowView flow = found.get(0);
        assertThat(flow.end()).isEqualTo(FlowEnd.TCP_CLOSE);
        assertThat(flow.packets()).isEqualTo(12);
        assertThat(flow.key().clientAddress).isEqualTo("127.0.0.1");
        assertThat(flow.firstPackets().get(0).tcpFlags()).isEqualTo(0x002);
        assertThat(flow.firstPackets()).anySatisfy(p -> assertThat(
                new String(p.array(), p.payloadOffset(), Math.max(0, p.payloadLength()))).startsWith("GET /index.html"));
    }

    @Test
    void dnsQueryIsOneUdpFlowWithBothDirections() throws Exception {
        List<FlowView> found = flowsOf("dns-query.pcap");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).end()).isEqualTo(FlowEnd.END_OF_CAPTURE);
        assertThat(found.get(0).clientPackets()).isEqualTo(1);
        assertThat(found.get(0).serverPackets()).isEqualTo(1);
    }

    @Test
    void refusedConnectionEndsWithResetAndProgressReachesTheEnd() throws Exception {
        List<FlowView> found = new ArrayList<>();
        List<CaptureProgressDTO> progress = new ArrayList<>();
        Path file = EXAMPLES.resolve("tcp-refused.pcap");
        flows.readFlows(file, null, null, found::add, progress::add);
        assertThat(progress).last().satisfies(p -> {
            assertThat(p.bytesDone).isEqualTo(Files.size(file));
            assertThat(p.packets).isEqualTo(2);
        });
        assertThat(found).hasSize(1);
        assertThat(found.get(0).end()).isEqualTo(FlowEnd.TCP_RESET);
        assertThat(found.get(0).packets()).isEqualTo(2);
    }
}
