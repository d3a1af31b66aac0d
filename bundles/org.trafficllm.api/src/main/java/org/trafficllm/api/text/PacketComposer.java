package org.trafficllm.api.text;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.text.dto.ComposeOptions;

/**
 * The inverse of a renderer: turns text in one format back into frames with valid
 * lengths and checksums. Registered with {@link TrafficRendererService} naming the
 * format it reads. A {@link ComposeSession} maps masking placeholders to concrete
 * identifiers consistently across texts.
 */
@ConsumerType
public interface PacketComposer {

    /** A fresh session with its own placeholder assignments. */
    ComposeSession open(ComposeOptions options);
}
