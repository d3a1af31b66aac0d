package org.trafficllm.api.tuning.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/**
 * Pretraining the small base model from scratch: the corpus (traffic texts of dataset
 * files, natural language of the instruction set and the task prompts), the traffic
 * tokenizer (a byte-level BPE trained on the natural language, extended with traffic
 * tokens; or an existing {@code tokenizer.json}), the Llama architecture's sizes and
 * the schedule. Defaults are the embedded default model's settings.
 */
public class PretrainingRequestDTO extends DTO {
    /** Train files of the dataset builder (JSON Lines); their traffic texts are the traffic corpus. */
    public List<String> datasets = new ArrayList<>();
    /** Test files of the same datasets: held-out text for measuring the tokenizer, never trained on. */
    public List<String> heldOut = new ArrayList<>();
    /** The router's train file (JSON Lines): its instructions are the natural-language corpus. */
    public String instructions;
    /** At most this many texts from each dataset file (a seeded draw); 0 for all. */
    public int textsPerDataset = 20000;

    /** An existing {@code tokenizer.json} to use instead of training one. */
    public String tokenizer;
    /** Vocabulary of the natural-language byte-level BPE, special tokens included. */
    public int naturalVocabSize = 2048;
    /** Tokens the traffic extension adds. */
    public int trafficTokens = 2048;
    /** Hex characters per traffic word (the tokenizer's {@code TRAFFIC} pre-tokenization). */
    public int hexChunk = 4;

    public int hiddenSize = 128;
    public int layers = 4;
    public int heads = 4;
    public int kvHeads = 2;
    public int intermediateSize = 352;
    /** The model's context ({@code max_position_embeddings}). */
    public int maxContext = 512;
    /** Tokens per training window. */
    public int sequenceLength = 256;

    public ScheduleDTO schedule = new ScheduleDTO();
    /** Windows per training step. */
    public int batchSize = 16;
    public int accumulation = 1;
    /** Optimizer updates. */
    public int maxSteps = 1000;
    public int checkpointEvery = 100;
    /** Share of the windows held out to measure the validation loss. */
    public double validationShare = 0.02;
    public long seed = 42;

    /** The model directory to write. */
    public String output;
    /** Checkpoint directory; {@code <output>.checkpoints} when null. */
    public String checkpoints;
    /** The base model's name (the {@code trafficllm.basemodel} capability). */
    public String name = "nano";
    public String version = "1.0.0";
    /** {@code float32}, {@code float16} or {@code bfloat16}. */
    public String dtype = "float16";
}
