package org.trafficllm.api.capture;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.capture.dto.CaptureProgressDTO;

/** Receives progress of a long read, a few times per second at most. */
@ConsumerType
@FunctionalInterface
public interface CaptureProgressListener {

    /** Progress so far; the DTO is a fresh copy the listener may keep. */
    void progress(CaptureProgressDTO progress);
}
