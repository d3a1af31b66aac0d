package org.trafficllm.api.capture;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the dissected packets of a capture, one call per frame, on the
 * reading thread. The view is valid only during the call.
 */
@ConsumerType
@FunctionalInterface
public interface PacketHandler {

    /** One frame; {@link PacketView#detach()} it to keep it. */
    void packet(PacketView packet);
}
