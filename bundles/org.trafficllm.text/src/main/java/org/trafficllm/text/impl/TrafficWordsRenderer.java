package org.trafficllm.text.impl;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.RenderOptions;

/** TrafficLLM's per-packet "traffic words" text. */
@Component(service = PacketRenderer.class)
@TrafficRendererService(name = TrafficRendererService.TRAFFIC_WORDS)
public class TrafficWordsRenderer implements PacketRenderer {

    @Override
    public PacketRenderSession open(RenderOptions options) {
        return new TrafficWordsSession(options);
    }
}
