package org.trafficllm.api.capture;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives each flow of a {@link FlowTable} once, when the flow has ended. */
@ConsumerType
@FunctionalInterface
public interface FlowHandler {

    /** One finished flow; the view and its packets stay valid after the call. */
    void flow(FlowView flow);
}
