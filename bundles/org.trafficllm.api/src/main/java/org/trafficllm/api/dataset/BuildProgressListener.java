package org.trafficllm.api.dataset;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.dataset.dto.BuildProgressDTO;

/** Receives progress of a long build, a few times per second at most, and once at the end of each phase. */
@ConsumerType
@FunctionalInterface
public interface BuildProgressListener {
    /** Progress so far; the DTO is a fresh copy the listener may keep. */
    void progress(BuildProgressDTO progress);
}
