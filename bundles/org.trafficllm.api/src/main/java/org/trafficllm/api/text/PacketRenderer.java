package org.trafficllm.api.text;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * A packet text format, registered with {@link TrafficRendererService}. Text that
 * depends on earlier packets (relative times, stream indexes, relative sequence
 * numbers, masking placeholders) lives in a {@link PacketRenderSession}: open one per
 * capture and feed it every packet of the capture in order.
 */
@ConsumerType
public interface PacketRenderer {

    /** A fresh session with its own state. */
    PacketRenderSession open(RenderOptions options);
}
