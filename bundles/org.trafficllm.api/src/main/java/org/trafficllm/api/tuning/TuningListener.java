package org.trafficllm.api.tuning;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.tuning.dto.TuningProgressDTO;

/**
 * Receives the progress of a tuning or pretraining job: one report after every
 * optimizer step, and one for every phase change, validation and checkpoint. Called on
 * the job's thread; it must return quickly (a printer keeps the lines it wants).
 */
@ConsumerType
@FunctionalInterface
public interface TuningListener {
    void progress(TuningProgressDTO progress);
}
