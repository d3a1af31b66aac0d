package org.trafficllm.api.eval.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/**
 * The evaluation of one model on one test set. Answers outside the label set are
 * wrong for accuracy and counted in the confusion matrix's invalid column; they are
 * not a class of their own, so macro averages run over the label set only and
 * weighted averages weight each class by its support.
 */
public class EvaluationReportDTO extends DTO {
    /** Version of this report's layout, for readers of stored reports. */
    public int formatVersion = 1;
    /** Where the predictions came from. */
    public EvaluationRunDTO run = new EvaluationRunDTO();
    /** The label set in its order (e.g. the order of the dataset's label file). */
    public List<String> labels = new ArrayList<>();
    /** Samples evaluated. */
    public long samples;
    /** Samples whose answer is their expected label. */
    public long correct;
    /** Samples whose answer is not a label of the label set. */
    public long invalid;
    /** correct / samples. */
    public double accuracy;
    /** One row per label, in label-set order. */
    public List<ClassMetricsDTO> perClass = new ArrayList<>();
    /** Unweighted mean over the label set. */
    public AverageMetricsDTO macro = new AverageMetricsDTO();
    /** Mean over the label set weighted by support. */
    public AverageMetricsDTO weighted = new AverageMetricsDTO();
    public ConfusionMatrixDTO confusion = new ConfusionMatrixDTO();
    /** How many per-class metrics had a zero denominator and were set to 0. */
    public int undefinedMetrics;
    /** Up to 20 distinct invalid answers, as given, in order of first appearance. */
    public List<String> invalidExamples = new ArrayList<>();
    /** Wall time of computing this report, in milliseconds. */
    public long evaluationMillis;
    /** When the report was made, ISO-8601 UTC. */
    public String created;
}
