package org.trafficllm.model.impl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * One linear map of the decoder, {@code y = x W^T + b}, named by its module path in
 * the Hugging Face model ({@code model.layers.0.self_attn.q_proj}) so PEFT adapter
 * keys find it. The weight is kept as {@code [out, in]} whatever the checkpoint's
 * layout (GPT-2's Conv1D stores {@code [in, out]}).
 */
final class Projection {
    final String module;
    final int index;
    final int in;
    final int out;
    /** GPT-2's Conv1D: the checkpoint stores the weight transposed. */
    final boolean transposedInCheckpoint;
    NDArray weight;
    NDArray bias;

    Projection(String module, int index, int in, int out, boolean transposedInCheckpoint, NDArray weight,
            NDArray bias) {
        this.module = module;
        this.index = index;
        this.in = in;
        this.out = out;
        this.transposedInCheckpoint = transposedInCheckpoint;
        this.weight = weight;
        this.bias = bias;
    }

    NDArray apply(NDArray x, ActiveAdapters adapters) {
        NDArray y = (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias)).singletonOrThrow();
        return adapters == null ? y : adapters.adjust(this, x, y);
    }

}
