package org.trafficllm.text.impl;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * TrafficLLM's web-attack text for live traffic: every TCP packet whose payload
 * starts an HTTP request becomes its {@code {"method","url","body"}} JSON, the way
 * CSIC 2010's requests are written (an absolute URL: {@code http://} and the
 * {@code Host} header in front of an origin-form target), so a web-attack adapter
 * trained on CSIC reads captured requests. Other packets render nothing; a request
 * whose body continues in later segments is read as far as this packet carries it.
 */
@Component(service = PacketRenderer.class)
@TrafficRendererService(name = TrafficRendererService.HTTP_REQUEST)
public class HttpRequestPacketRenderer implements PacketRenderer {
    private static final int TCP = 6;

    /** Appends the text of one parsed request. */
    interface RequestWriter {
        void write(HttpRequestDTO request, RenderOptions options, StringBuilder out);
    }

    private final RequestWriter writer;

    public HttpRequestPacketRenderer() {
        this(HttpRequestText::appendJson);
    }

    /** A renderer of captured requests in another form than TrafficLLM's JSON. */
    HttpRequestPacketRenderer(RequestWriter writer) {
        this.writer = writer;
    }

    @Override
    public PacketRenderSession open(RenderOptions options) {
        HttpRequestText http = new HttpRequestText();
        return new PacketRenderSession() {
            @Override
            public boolean render(PacketView packet, StringBuilder out) {
                if (packet.ipProtocol() != TCP || packet.payloadOffset() < 0 || packet.payloadLength() < 16
                        || !startsWithMethod(packet)) {
                    return false;
                }
                HttpRequestDTO request;
                try {
                    request = http.parse(new String(packet.array(), packet.payloadOffset(), packet.payloadLength(),
                            StandardCharsets.ISO_8859_1));
                } catch (TextFormatException e) {
                    return false;
                }
                if (request.url.startsWith("/")) {
                    String host = HttpRequestText.header(request, "Host");
                    if (host != null) {
                        request.url = "http://" + host + request.url;
                    }
                }
                writer.write(request, options, out);
                return true;
            }

            @Override
            public Map<String, String> placeholders() {
                return Map.of();
            }
        };
    }

    /** Upper-case letters and a space: the start of a request line (cheap test before parsing). */
    private static boolean startsWithMethod(PacketView p) {
        byte[] a = p.array();
        int at = p.payloadOffset();
        int end = at + Math.min(p.payloadLength(), 8);
        int i = at;
        while (i < end && a[i] >= 'A' && a[i] <= 'Z') {
            i++;
        }
        return i > at + 2 && i < end && a[i] == ' ';
    }
}
