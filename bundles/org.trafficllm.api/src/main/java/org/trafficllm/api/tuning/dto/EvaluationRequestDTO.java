package org.trafficllm.api.tuning.dto;

import org.osgi.dto.DTO;
import org.trafficllm.api.task.Granularity;

/**
 * One evaluation of a classifier on a test file, TrafficLLM's evaluation step: every
 * sample of {@link #test} is classified (or a seeded per-class draw of {@link #limit}
 * samples) and the answers are scored against the label set. With {@link #adapter} the
 * adapter directory is loaded over {@link #baseModel} and asked with the prompts it was
 * trained on; without it, the task installed in this runtime answers through the task
 * registry, as it serves.
 */
public class EvaluationRequestDTO extends DTO {
    /**
     * The base model under the adapter: a {@code BaseModel} service's name or a Hugging
     * Face model directory; null: the adapter's {@code base_model_name_or_path}
     * ({@code adapter_config.json}), else {@code nano}. Ignored without an adapter.
     */
    public String baseModel;
    /**
     * Task id or name. With an adapter: must match its {@code task.json} when it has one,
     * else names the catalog's task. Without an adapter: the installed task to evaluate.
     */
    public String task;
    /**
     * The granularity the samples are written in (their {@code <packet>:} or {@code <flow>:}
     * marker), which an installed task is also asked in; null: the dataset's task file
     * beside the test file ({@code <stem>_task.json}) when it is the same task, else the task's own.
     */
    public Granularity granularity;
    /** Task descriptor file; else the adapter's {@code task.json}, the installed task bundle's, or the catalog's. */
    public String taskFile;
    /** The test file: JSON Lines of {@code instruction}, {@code output}, as the dataset builder writes them. */
    public String test;
    /**
     * Label file ({@code {"label": index, …}}): the label set the report is made over, in
     * index order; every expected answer must be in it. Answers the model gives outside it
     * count as invalid. Null: the task's labels.
     */
    public String labels;
    /** Adapter directory ({@code adapter_config.json}, {@code adapter_model.safetensors}, usually {@code task.json}). */
    public String adapter;
    /**
     * Directory for {@code report.json}, {@code report.html} and {@code predictions.jsonl};
     * created when missing. Null: {@code eval-<test file's stem>} in the working directory.
     */
    public String output;
    /**
     * Evaluate this many samples (every one when the file has fewer), a seeded draw keeping
     * each label's share, at least one of each label while the number allows; 0: every sample.
     */
    public int limit;
    /** Seed of the draw. */
    public long seed = 42;
    /**
     * Samples classified per call (progress is reported after each). The tuning job's test
     * evaluation uses the default, so the same adapter, file and batch size give the same answers.
     */
    public int batchSize = 16;
    /** How the dataset is named in the report; else from the dataset builder's report beside the test file. */
    public String dataset;
    /** How train and test were split, for the report; else from the builder's report. */
    public String split;
    /** Which identifiers were masked, for the report; else from the builder's report. */
    public String masking;
}
