package org.trafficllm.api.model;

import java.nio.file.Path;

/**
 * Full-parameter training of a whole model: either a model folder to continue from
 * ({@link #modelDirectory}: config.json, safetensors, tokenizer.json), or a fresh
 * model ({@link #configJson} in Hugging Face layout plus {@link #tokenizerFile}),
 * initialised from {@link #seed} as transformers does (normal with the config's
 * {@code initializer_range}, norms one, biases zero).
 */
public class ModelTrainingSpec {
    public Path modelDirectory;
    public String configJson;
    public Path tokenizerFile;
    public long seed;
    public OptimizerSettings optimizer = new OptimizerSettings();
}
