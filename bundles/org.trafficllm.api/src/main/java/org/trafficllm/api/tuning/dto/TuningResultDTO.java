package org.trafficllm.api.tuning.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** What a finished adapter training wrote and measured. */
public class TuningResultDTO extends DTO {
    public int stage;
    public String task;
    public String baseModel;
    /** The adapter directory: adapter files, {@code task.json}, {@code metrics.json}, {@code MODEL.md}. */
    public String output;
    public String checkpoints;
    public String peft;
    public long trainableParameters;
    public long trainSamples;
    public long validationSamples;
    public long testSamples;
    /** Optimizer steps taken. */
    public long steps;
    public long plannedSteps;
    public double epochs;
    /** Training tokens processed (whole sequences). */
    public long tokens;
    public boolean stoppedEarly;
    /** The validation whose adapter was kept. */
    public ValidationDTO best;
    public List<ValidationDTO> validations = new ArrayList<>();
    public double testAccuracy;
    public double testMacroF1;
    public double testWeightedF1;
    /** The evaluation report of the test split ({@code metrics.json}). */
    public String metricsFile;
    /** Training wall time, summed over resumed pieces, validation included. */
    public long trainMillis;
    /** Wall time from the start of training to the end of the best validation. */
    public long millisToBest;
    public double tokensPerSecond;
    /** Test evaluation wall time. */
    public long testMillis;
}
