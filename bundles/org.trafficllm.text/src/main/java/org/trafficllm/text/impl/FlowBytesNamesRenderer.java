package org.trafficllm.text.impl;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * TrafficLLM's flow bytes preceded by the name the flow asks for in clear, written as
 * tshark names the field: {@code tls.handshake.extensions_server_name: www.example.org,
 * <pck>...} for a TLS ClientHello over TCP or in a QUIC Initial, {@code http.host: ...}
 * for an HTTP request, {@code dns.qry.name: ...} for DNS (see {@link FlowNames}). In
 * flow bytes these names are mostly cut off or encrypted (each frame keeps 128 bytes; a
 * ClientHello's server name usually starts after them, and QUIC protects its Initial),
 * yet they are what DPI engines such as nDPI label applications by. A flow without a
 * readable name is rendered exactly as flow bytes. A name is traffic content, not an
 * identifier of the capture, so masking keeps it, except names that spell an IP
 * address when addresses are masked.
 */
@Component(service = FlowRenderer.class)
@TrafficRendererService(name = TrafficRendererService.FLOW_BYTES_NAMES)
public class FlowBytesNamesRenderer implements FlowRenderer {

    @Override
    public FlowRenderSession open(RenderOptions options) {
        RenderOptions o = options == null ? new RenderOptions() : options;
        boolean maskIps = o.mask != null && o.mask.contains(MaskedIdentifier.IP);
        return PrefixedFlowBytes.open(o, (flow, out) -> {
            FlowNames.Name name = FlowNames.of(flow.firstPackets(), maskIps);
            if (name != null) {
                out.append(name.field()).append(": ").append(name.value()).append(", ");
            }
        });
    }
}
