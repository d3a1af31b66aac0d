package org.trafficllm.text.impl;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * A flow's application payload, as DeepTraffic's USTC-TFC2016 session records hold
 * it: the transport payloads of the flow's kept packets in capture order (both
 * directions), concatenated and cut to {@value #RECORD_BYTES} bytes, trailing zero
 * bytes dropped (a record's padding cannot be told from payload zeros), as
 * {@code <pck>} and lower-case hex. Models trained on those records read live flows
 * in the same form. There are no headers here, so masking has nothing to overwrite.
 */
@Component(service = FlowRenderer.class)
@TrafficRendererService(name = TrafficRendererService.PAYLOAD_BYTES)
public class PayloadBytesRenderer implements FlowRenderer {
    /** DeepTraffic's record size (28 x 28). */
    static final int RECORD_BYTES = 784;

    @Override
    public FlowRenderSession open(RenderOptions options) {
        byte[] record = new byte[RECORD_BYTES];
        return new FlowRenderSession() {
            @Override
            public boolean render(FlowView flow, StringBuilder out) {
                List<PacketView> kept = flow.firstPackets();
                int filled = 0;
                for (int i = 0; i < kept.size() && filled < RECORD_BYTES; i++) {
                    PacketView p = kept.get(i);
                    int at = p.payloadOffset();
                    if (at < 0) {
                        continue;
                    }
                    int n = Math.min(p.payloadLength(), RECORD_BYTES - filled);
                    if (n > 0) {
                        System.arraycopy(p.array(), at, record, filled, n);
                        filled += n;
                    }
                }
                while (filled > 0 && record[filled - 1] == 0) {
                    filled--;
                }
                if (filled == 0) {
                    return false;
                }
                out.append("<pck>");
                Digits.bytesHex(out, record, 0, filled);
                return true;
            }

            @Override
            public Map<String, String> placeholders() {
                return Map.of();
            }
        };
    }
}
