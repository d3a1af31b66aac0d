package org.trafficllm.text.impl;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * TrafficLLM's flow bytes preceded by the flow's shape ({@link FlowShape}): packets and
 * bytes each way, duration, and the directed payload sizes of the first packets, e.g.
 * {@code flow.packets: 13 11, flow.bytes: 2345 2778, flow.duration: 1.520,
 * flow.payloads: >517 <1460 >0 <0, <pck>...}. Flow bytes show a small model the first
 * packet or two; the shape shows it all ten packets' sizes and the whole flow's
 * counters in about sixty tokens. Masking applies to the bytes as in flow bytes; the
 * shape holds no identifiers.
 */
@Component(service = FlowRenderer.class)
@TrafficRendererService(name = TrafficRendererService.FLOW_BYTES_SHAPE)
public class FlowBytesShapeRenderer implements FlowRenderer {

    @Override
    public FlowRenderSession open(RenderOptions options) {
        RenderOptions o = options == null ? new RenderOptions() : options;
        int packets = o.packetsPerFlow;
        return PrefixedFlowBytes.open(o, (flow, out) -> FlowShape.append(flow, packets, out));
    }
}
