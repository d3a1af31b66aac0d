package org.trafficllm.api.tuning.dto;

import org.osgi.dto.DTO;

/** What an evaluation measured and where its reports are. */
public class EvaluationResultDTO extends DTO {
    public String task;
    /** What answered: the base model and adapter, or the installed task and its version. */
    public String model;
    /** The adapter directory; null when the installed task answered. */
    public String adapter;
    /** The test file. */
    public String test;
    /** Samples in the test file. */
    public long testSamples;
    /** Samples classified: all of them, or the draw of {@link EvaluationRequestDTO#limit}. */
    public long samples;
    /** How the samples were chosen: {@code every sample} or {@code seeded per-class draw, seed 42}. */
    public String selection;
    public long correct;
    /** Answers outside the label set. */
    public long invalid;
    public double accuracy;
    public double macroF1;
    public double weightedF1;
    /** Wall time of classifying the samples. */
    public long predictMillis;
    public double samplesPerSecond;
    /** The evaluation service's report as JSON. */
    public String reportJson;
    /** The same report as one self-contained HTML page with its charts. */
    public String reportHtml;
    /**
     * One JSON line per sample classified: {@code line} (in the test file), {@code expected},
     * {@code predicted}, {@code score} (the probability of the predicted label),
     * {@code correct}, {@code invalid}.
     */
    public String predictions;
}
