package org.trafficllm.api.eval.dto;

import org.osgi.dto.DTO;

/**
 * Where a set of predictions came from. Every reported figure names its dataset,
 * split and masking; a field left {@code null} (or -1 for counts and times) is
 * shown as unknown, never guessed.
 */
public class EvaluationRunDTO extends DTO {
    /** The dataset, e.g. {@code ustc-tfc2016-idx 20class} or the test file's name. */
    public String dataset;
    /** How train and test were separated, e.g. {@code group (seed 42, 0.8)}. */
    public String split;
    /** Which identifiers were masked, e.g. {@code MAC, IP, PORT, TIME} or {@code none}. */
    public String masking;
    /** The task id, e.g. {@code MTD}. */
    public String task;
    /** The model: a base model with its adapter, or a classical baseline such as {@code rf}. */
    public String model;
    /** The adapter (name and version), {@code null} for models without one. */
    public String adapter;
    /** Samples the model was trained on, -1 when unknown. */
    public long trainSamples = -1;
    /** Samples in the test set, before any cut to a maximum; -1 when unknown. */
    public long testSamples = -1;
    /** Wall time of training in milliseconds, -1 when not measured here. */
    public long trainMillis = -1;
    /** Wall time of predicting the test set in milliseconds, -1 when not measured. */
    public long predictMillis = -1;
    /** Free text: features, hyper-parameters, the exact command. */
    public String notes;
}
