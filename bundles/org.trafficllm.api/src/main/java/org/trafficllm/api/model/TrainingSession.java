package org.trafficllm.api.model;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One training run over a base model: a new adapter, or all weights of a model.
 * {@link #step} runs forward and backward on a batch and accumulates gradients;
 * {@link #update} averages what was accumulated over its target tokens, clips, and
 * applies AdamW. Several steps before one update are gradient accumulation and give
 * the same update as one step over all their sequences.
 */
@ProviderType
public interface TrainingSession extends AutoCloseable {

    StepResult step(TrainingBatch batch) throws ModelException;

    /** The loss of a batch under the current weights, without gradients or any change (validation). */
    StepResult evaluate(TrainingBatch batch) throws ModelException;

    /** Applies the accumulated gradients with this learning rate and clears them. */
    UpdateResult update(double learningRate) throws ModelException;

    /** Optimizer steps taken so far. */
    long steps();

    /** Number of trainable weights. */
    long trainableParameters();

    /**
     * Writes the trained adapter in PEFT's format ({@code adapter_config.json},
     * {@code adapter_model.safetensors}), loadable by {@link BaseModel#loadAdapter} and
     * by PEFT. Only for adapter sessions.
     */
    void saveAdapter(Path directory) throws ModelException;

    /**
     * Writes the whole model in Hugging Face layout ({@code config.json},
     * {@code model.safetensors}, {@code tokenizer.json}) as {@code float32},
     * {@code float16} or {@code bfloat16}. Only for full-parameter sessions.
     */
    void saveModel(Path directory, String dtype) throws ModelException;

    /**
     * Saves trainable weights, optimizer moments, step count and random state into
     * {@code directory}, atomically: written beside it, then renamed into place.
     * Gradients accumulated since the last update are not part of the state.
     */
    void saveState(Path directory) throws ModelException;

    /** Restores what {@link #saveState} wrote; the session must have the same shape. */
    void restoreState(Path directory) throws ModelException;

    /**
     * Grows the vocabulary (embedding and untied head) to {@code newVocabSize}; each
     * new row {@code id} starts as the mean of the rows listed for it in
     * {@code initFrom} (ids of existing tokens), rows not listed as the mean of all
     * existing rows. Only for full-parameter sessions, before the first update.
     */
    void growVocabulary(int newVocabSize, Map<Integer, int[]> initFrom) throws ModelException;

    @Override
    void close();
}
