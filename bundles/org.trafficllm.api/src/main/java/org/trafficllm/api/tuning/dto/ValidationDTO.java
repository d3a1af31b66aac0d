package org.trafficllm.api.tuning.dto;

import org.osgi.dto.DTO;

/** One validation of the adapter as it is at a checkpoint, by constrained classification over the labels. */
public class ValidationDTO extends DTO {
    /** Optimizer step of the checkpoint. */
    public long step;
    public long samples;
    public double accuracy;
    public double macroF1;
    /** Mean training loss since the previous validation. */
    public double trainLoss;
    /** Whether this is the best macro-F1 so far (the adapter kept). */
    public boolean best;
}
