package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.PcapCaptureService;

class HttpRequestPacketRendererTest {

    /** Renders every packet of a capture; the texts of the packets that rendered. */
    private static List<String> render(Path capture, RenderOptions options) throws Exception {
        PacketRenderSession session = new HttpRequestPacketRenderer().open(options);
        List<String> texts = new ArrayList<>();
        new PcapCaptureService().read(capture, (PacketView p) -> {
            StringBuilder sb = new StringBuilder();
            if (session.render(p, sb)) {
                texts.add(sb.toString());
            }
        });
        return texts;
    }

    @Test
    void aCapturedGetBecomesCsicsJsonWithAnAbsoluteUrl() throws Exception {
        Path capture = Path.of("../../examples/captures/http-get.pcap");
        List<String> plain = render(capture, new RenderOptions());
        assertThat(plain).containsExactly("{\"method\": \"GET\", \"url\": \"http://localhost:44661/index.html\", \"body\": \"\"}");

        RenderOptions masked = new RenderOptions();
        masked.mask = EnumSet.of(MaskedIdentifier.IP, MaskedIdentifier.PORT);
        assertThat(render(capture, masked)).containsExactly(
                "{\"method\": \"GET\", \"url\": \"http://localhost:PORT_1/index.html\", \"body\": \"\"}");
    }

    @Test
    void packetsThatStartNoRequestRenderNothing() throws Exception {
        Path capture = Path.of("../../examples/captures/dns-query.pcap");
        assertThat(render(capture, new RenderOptions())).isEmpty();
    }
}
