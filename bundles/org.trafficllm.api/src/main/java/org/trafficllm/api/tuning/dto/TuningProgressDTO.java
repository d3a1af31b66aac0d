package org.trafficllm.api.tuning.dto;

import org.osgi.dto.DTO;

/** One progress report of a tuning or pretraining job. */
public class TuningProgressDTO extends DTO {
    /**
     * {@code prepare}, {@code tokenizer}, {@code train}, {@code validate}, {@code checkpoint}, {@code test} or
     * {@code done}; an evaluation reports {@code evaluate}.
     */
    public String phase;
    /** Optimizer steps done. */
    public long step;
    /** Optimizer steps the run is planned to take. */
    public long totalSteps;
    /** Passes over the training data so far, fractional. */
    public double epoch;
    /** Loss of the latest optimizer step (mean over its target tokens). */
    public double loss;
    public double learningRate;
    /** Training tokens (whole sequences) per second since the run (or the resume) started. */
    public double tokensPerSecond;
    public double stepsPerSecond;
    /** Estimated milliseconds to the planned end (of the steps, or of the samples when classifying); -1 when unknown. */
    public long etaMillis = -1;
    public long elapsedMillis;
    /** A one-line description of a phase change, validation or checkpoint; null for plain step reports. */
    public String message;
    /** The validation just made, for {@code validate} reports. */
    public ValidationDTO validation;
    /** {@code test} and {@code evaluate}: samples classified so far. */
    public long samples;
    /** {@code test} and {@code evaluate}: samples to classify. */
    public long totalSamples;
    /** {@code test} and {@code evaluate}: samples classified per second so far. */
    public double samplesPerSecond;
}
