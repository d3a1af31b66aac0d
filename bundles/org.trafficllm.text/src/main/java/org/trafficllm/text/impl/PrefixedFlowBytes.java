package org.trafficllm.text.impl;

import java.util.Map;

import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * A flow-bytes session whose text starts with what a prefix writes for the flow (its
 * name, its shape). A flow the flow bytes cannot render leaves nothing behind, prefix
 * included; masking placeholders are the flow bytes'.
 */
final class PrefixedFlowBytes {
    /** Writes the part before the flow bytes, or nothing. */
    interface Prefix {
        void append(FlowView flow, StringBuilder out);
    }

    private PrefixedFlowBytes() {
    }

    static FlowRenderSession open(RenderOptions options, Prefix prefix) {
        FlowRenderSession bytes = new FlowBytesRenderer().open(options);
        return new FlowRenderSession() {
            @Override
            public boolean render(FlowView flow, StringBuilder out) {
                int start = out.length();
                prefix.append(flow, out);
                if (!bytes.render(flow, out)) {
                    out.setLength(start);
                    return false;
                }
                return true;
            }

            @Override
            public Map<String, String> placeholders() {
                return bytes.placeholders();
            }
        };
    }
}
