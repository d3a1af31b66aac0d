package org.trafficllm.dataset.layout.impl;

import java.util.Map;

import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * Stands in for the text bundle's flow-bytes renderer until that bundle is on this
 * branch: {@code <pck>} before the frame number of each kept packet.
 */
final class FlowBytesStandIn implements FlowRenderer {
    int sessions;

    @Override
    public FlowRenderSession open(RenderOptions options) {
        sessions++;
        return new FlowRenderSession() {
            @Override
            public boolean render(FlowView flow, StringBuilder out) {
                for (PacketView packet : flow.firstPackets()) {
                    out.append("<pck>").append(packet.number());
                }
                return !flow.firstPackets().isEmpty();
            }

            @Override
            public Map<String, String> placeholders() {
                return Map.of();
            }
        };
    }
}
