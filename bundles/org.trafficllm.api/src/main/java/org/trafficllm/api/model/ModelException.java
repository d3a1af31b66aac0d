package org.trafficllm.api.model;

/**
 * A model, adapter or request could not be used. The message names the input and
 * the place in one line, e.g. {@code adapter 'wad': adapter_model.safetensors:
 * base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight has shape [4, 32],
 * base model expects [r, 64]}.
 */
public class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
