package org.trafficllm.api.eval.dto;

import org.osgi.dto.DTO;

/**
 * One class of the label set: its counts and its precision, recall and F1. A
 * metric whose denominator is zero is reported as 0 and flagged as undefined
 * (scikit-learn's {@code zero_division="warn"} behaviour).
 */
public class ClassMetricsDTO extends DTO {
    public String label;
    /** Test samples whose expected label is this class. */
    public long support;
    /** Samples predicted as this class (valid answers only). */
    public long predicted;
    /** Samples of this class predicted as this class. */
    public long truePositives;
    /** truePositives / predicted; 0 and {@link #precisionUndefined} when nothing was predicted as this class. */
    public double precision;
    /** truePositives / support; 0 and {@link #recallUndefined} when the class has no test sample. */
    public double recall;
    /**
     * 2·TP / (2·TP + FP + FN), equal to the harmonic mean of precision and recall
     * where both are defined; 0 and {@link #f1Undefined} when the class is neither
     * present nor predicted.
     */
    public double f1;
    public boolean precisionUndefined;
    public boolean recallUndefined;
    public boolean f1Undefined;
}
