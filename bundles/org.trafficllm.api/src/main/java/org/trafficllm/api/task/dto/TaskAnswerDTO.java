package org.trafficllm.api.task.dto;

import java.util.Map;

import org.osgi.dto.DTO;

/** What a task answered for one input, and which version of it answered. */
public class TaskAnswerDTO extends DTO {
    /** Task id. */
    public String task;
    /** Version of the task (its bundle version) whose adapter answered. */
    public String version;
    /** Detection: the chosen label. Generation: the label asked for. */
    public String label;
    /** Detection: probability of the chosen label. */
    public double score;
    /** Detection: probability of every label, in label order; sums to 1. */
    public Map<String, Double> probabilities;
    /** Generation: the generated traffic text. */
    public String text;
    /** Prompt tokens the model read. */
    public int promptTokens;
    /** True when the traffic text was cut to fit the model's context. */
    public boolean truncated;
}
