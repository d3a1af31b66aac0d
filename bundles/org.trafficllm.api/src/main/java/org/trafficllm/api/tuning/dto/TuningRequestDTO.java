package org.trafficllm.api.tuning.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/**
 * One adapter to train. Stage 1 trains the router on an instruction set (given as
 * train/test JSON Lines, or built from TrafficLLM's {@code instruction.json} with
 * {@link #instructions}); stage 2 trains a task adapter on the dataset builder's
 * JSON Lines files. The shipped adapters' settings are in {@code examples/recipe/adapters.sh}.
 */
public class TuningRequestDTO extends DTO {
    /** 1 (router) or 2 (task adapter). */
    public int stage = 2;
    /** The task id or name; stage 1 defaults to the router ({@code NLP}). */
    public String task;
    /** A base model: the name of a {@code BaseModel} service, or a Hugging Face model directory. */
    public String baseModel = "nano";
    /** Train file: JSON Lines of {@code instruction}, {@code output}. */
    public String train;
    /** Test file, same format; its metrics go into {@code metrics.json}. */
    public String test;
    /** Stage 1: TrafficLLM's {@code instruction.json}, corrected and split by the instruction-set builder. */
    public String instructions;
    /** Label file (label → index); else the dataset's own label or task file beside the train file, else the train labels sorted. */
    public String labels;
    /** Task descriptor file; else the dataset's {@code *_task.json} beside the train file, else the catalog's task. */
    public String taskFile;
    /** Where the adapter directory is written; created when missing. */
    public String output;
    /** Checkpoint directory; {@code <output>/checkpoints} when null. */
    public String checkpoints;
    /**
     * An adapter directory to continue instead of starting a new adapter: an update of a
     * task's adapter on more or newer data. Its {@code adapter_config.json} decides the
     * shape ({@link #peft}, {@link #loraRank}, {@link #loraAlpha}, {@link #loraTargets},
     * {@link #virtualTokens} are taken from it); null starts a new adapter.
     */
    public String initAdapter;

    /** {@code LORA} or {@code PREFIX_TUNING}. */
    public String peft = "LORA";
    public int loraRank = 8;
    public double loraAlpha = 16;
    /** LoRA target modules; null or empty: {@code q_proj}, {@code v_proj}. */
    public List<String> loraTargets = new ArrayList<>();
    /** Prefix tuning: virtual tokens per layer. */
    public int virtualTokens = 16;
    /** Budget of the variable part (traffic or instruction) in tokens; 0 for none. */
    public int trafficTokens = 128;

    public ScheduleDTO schedule = new ScheduleDTO();
    /** Sequences per training step (one forward and backward pass). */
    public int batchSize = 16;
    /** Steps accumulated into one optimizer update. */
    public int accumulation = 1;
    /** Passes over the training samples; the run may stop earlier (patience, {@link #maxSteps}). */
    public double epochs = 3;
    /**
     * Class balance of an epoch: every class is seen at least this share of the largest
     * class's sample count per epoch, its samples repeated (whole copies, then a seeded draw)
     * as needed; 0 keeps the train file's proportions, 1 balances fully. An epoch is then
     * one pass over this balanced multiset.
     */
    public double balance;
    /** At most this many optimizer updates; 0: as many as the epochs take. */
    public int maxSteps;
    /** Checkpoint and validate every this many optimizer updates. */
    public int checkpointEvery = 50;
    /** Stop after this many validations without a better macro-F1; 0 never stops early. */
    public int patience = 4;
    /**
     * No early stop before this many epochs have passed, whatever the validations say
     * (a run whose validation figure is flat for a while, then climbs again, is not cut
     * short); 0: patience counts from the first validation.
     */
    public double minEpochs;
    /** Share of the training samples held out for validation (whole groups of identical texts). */
    public double validationShare = 0.05;
    /** At most this many validation samples. */
    public int validationLimit = 400;
    /** Use at most this many training samples (a seeded draw); 0 for all. */
    public int trainLimit;
    /** Evaluate at most this many test samples (a seeded draw per class); 0 for all. */
    public int testLimit;
    /** Seed of the adapter's initialisation, the validation split and the data order. */
    public long seed = 42;

    /** How the dataset is named in the metrics; else from the dataset builder's report beside the train file. */
    public String dataset;
    /** How train and test were split, for the metrics; else from the builder's report. */
    public String split;
    /** Which identifiers were masked, for the metrics; else from the builder's report. */
    public String masking;
}
