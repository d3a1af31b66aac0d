package org.trafficllm.api.text;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.capture.PacketView;

/**
 * Renders the packets of one capture in capture order. Not thread safe.
 */
@ConsumerType
public interface PacketRenderSession {

    /**
     * Appends the text of {@code packet} to {@code out}. Every packet of the
     * capture must pass through here, also those the format does not render (they
     * still move relative times and counters).
     *
     * @return false when the format renders nothing for this packet (e.g. traffic
     *         words skip frames that are neither TCP nor UDP)
     */
    boolean render(PacketView packet, StringBuilder out);

    /** Identifier to placeholder, in order of first use; empty without masking. */
    Map<String, String> placeholders();
}
