package org.trafficllm.dataset.layout.impl;

import java.util.Map;

import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * Stands in for the text bundle's traffic-words renderer until that bundle is on
 * this branch: renders TCP and UDP packets as a few {@code field: value} pairs and
 * nothing else, as traffic words do, and remembers the options it was opened with.
 */
final class TrafficWordsStandIn implements PacketRenderer {
    RenderOptions opened;
    int sessions;

    @Override
    public PacketRenderSession open(RenderOptions options) {
        opened = options;
        sessions++;
        return new PacketRenderSession() {
            @Override
            public boolean render(PacketView packet, StringBuilder out) {
                int protocol = packet.ipProtocol();
                if (protocol != 6 && protocol != 17) {
                    return false;
                }
                out.append("frame.number: ").append(packet.number()).append(", ip.proto: ").append(protocol)
                        .append(", srcport: ").append(packet.sourcePort()).append(", dstport: ")
                        .append(packet.destinationPort());
                return true;
            }

            @Override
            public Map<String, String> placeholders() {
                return Map.of();
            }
        };
    }
}
