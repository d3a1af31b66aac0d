package org.trafficllm.api.model;

import java.util.List;

/**
 * A new adapter to train over a base model: LoRA ({@code peftType = "LORA"}: rank,
 * alpha, target modules, rsLoRA) or prefix tuning ({@code "PREFIX_TUNING"}: virtual
 * tokens, with or without the projection encoder). Initialisation follows PEFT
 * (LoRA A Kaiming-uniform, B zero) from {@link #seed}, or, with {@link #initFrom},
 * continues an existing adapter of the same shape.
 */
public class AdapterTrainingSpec {
    public String peftType = "LORA";
    public int r = 8;
    public double loraAlpha = 16;
    /** Module names as PEFT matches them (suffixes), e.g. {@code q_proj}, {@code v_proj}; null: all projections. */
    public List<String> targetModules;
    public boolean useRslora;
    public int numVirtualTokens = 8;
    public boolean prefixProjection;
    /** Hidden width of the prefix projection encoder. */
    public int encoderHiddenSize = 128;
    public long seed;
    /**
     * An adapter directory ({@code adapter_config.json}, {@code adapter_model.safetensors})
     * whose weights the training starts from instead of PEFT's initialisation; it must have
     * this spec's PEFT type, rank (or virtual tokens), target modules and scale. Null: a new adapter.
     */
    public String initFrom;
    public OptimizerSettings optimizer = new OptimizerSettings();
}
