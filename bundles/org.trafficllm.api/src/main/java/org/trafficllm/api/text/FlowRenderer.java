package org.trafficllm.api.text;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * A flow text format, registered with {@link TrafficRendererService}. A
 * {@link FlowRenderSession} keeps masking placeholders stable across the flows of
 * one capture or data set.
 */
@ConsumerType
public interface FlowRenderer {

    /** A fresh session with its own state. */
    FlowRenderSession open(RenderOptions options);
}
