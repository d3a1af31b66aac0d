package org.trafficllm.api.text;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.capture.FlowView;

/** Renders flows, reusing placeholders across them. Not thread safe. */
@ConsumerType
public interface FlowRenderSession {

    /**
     * Appends the text of {@code flow} to {@code out}.
     *
     * @return false when the format renders nothing for this flow (e.g. no packets kept)
     */
    boolean render(FlowView flow, StringBuilder out);

    /** Identifier to placeholder, in order of first use; empty without masking. */
    Map<String, String> placeholders();
}
