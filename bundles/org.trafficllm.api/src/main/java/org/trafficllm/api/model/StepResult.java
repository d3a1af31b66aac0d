package org.trafficllm.api.model;

/** What one {@link TrainingSession#step} computed. */
public class StepResult {
    /** Mean cross-entropy (nats) over this batch's target tokens. */
    public double loss;
    /** Target tokens in this batch. */
    public int tokens;
}
