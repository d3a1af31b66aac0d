package org.trafficllm.api.task;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.task.dto.AnalysisProgressDTO;
import org.trafficllm.api.task.dto.DetectionDTO;

/** Receives the verdicts of a capture analysis as they are made, on the analysing thread. */
@ConsumerType
public interface DetectionListener {

    /** One packet's or flow's verdict. */
    void detection(DetectionDTO detection);

    /** Progress so far, a few times per second at most. */
    default void progress(AnalysisProgressDTO progress) {
    }
}
