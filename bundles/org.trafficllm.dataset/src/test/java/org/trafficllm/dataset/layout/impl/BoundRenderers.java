package org.trafficllm.dataset.layout.impl;

import java.util.List;
import java.util.Map;

import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.HttpRequestRenderer;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.text.impl.FlowBytesNamesRenderer;
import org.trafficllm.text.impl.FlowBytesRenderer;
import org.trafficllm.text.impl.FlowBytesShapeRenderer;
import org.trafficllm.text.impl.HttpRequestPacketRenderer;
import org.trafficllm.text.impl.HttpRequestShapeText;
import org.trafficllm.text.impl.HttpRequestText;
import org.trafficllm.text.impl.PayloadBytesRenderer;
import org.trafficllm.text.impl.TrafficWordsRenderer;

/**
 * The text bundle's renderers as Declarative Services hands them to a layout's dynamic
 * references: each with its {@value TrafficRendererService#NAME} property, in the
 * order a framework may bind them (not the layout's default first).
 */
final class BoundRenderers {
    private BoundRenderers() {
    }

    static List<Map.Entry<Map<String, Object>, PacketRenderer>> packets() {
        return List.of(named(TrafficRendererService.HTTP_REQUEST, new HttpRequestPacketRenderer()),
                named(TrafficRendererService.TRAFFIC_WORDS, new TrafficWordsRenderer()));
    }

    static List<Map.Entry<Map<String, Object>, FlowRenderer>> flows() {
        return List.of(named(TrafficRendererService.PAYLOAD_BYTES, new PayloadBytesRenderer()),
                named(TrafficRendererService.FLOW_BYTES, new FlowBytesRenderer()),
                named(TrafficRendererService.FLOW_BYTES_NAMES, new FlowBytesNamesRenderer()),
                named(TrafficRendererService.FLOW_BYTES_SHAPE, new FlowBytesShapeRenderer()));
    }

    static List<Map.Entry<Map<String, Object>, HttpRequestRenderer>> requests() {
        return List.of(named(TrafficRendererService.HTTP_REQUEST, new HttpRequestText()),
                named(TrafficRendererService.HTTP_REQUEST_SHAPE, new HttpRequestShapeText()));
    }

    static ClassFolderLayout bind(ClassFolderLayout layout) {
        layout.packetRenderers = packets();
        layout.flowRenderers = flows();
        return layout;
    }

    static NdpiFlowLabelLayout bind(NdpiFlowLabelLayout layout) {
        layout.packetRenderers = packets();
        layout.flowRenderers = flows();
        return layout;
    }

    static CsicRequestLayout bind(CsicRequestLayout layout) {
        layout.renderers = requests();
        return layout;
    }

    private static <S> Map.Entry<Map<String, Object>, S> named(String name, S service) {
        return Map.entry(Map.of(TrafficRendererService.NAME, name), service);
    }
}
