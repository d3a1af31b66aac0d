package org.trafficllm.model.impl;

import ai.djl.ndarray.NDArray;

/**
 * What a forward pass applies on top of the stored base weights: the LoRA adapter the
 * request named (added), the LoRA adapter merged into the weights when it is not the
 * one requested (subtracted, so the request sees the true base), and a prefix.
 */
record ActiveAdapters(LoraAdapter add, LoraAdapter subtract, PrefixAdapter prefix) {

    static final ActiveAdapters NONE = new ActiveAdapters(null, null, null);

    NDArray adjust(Projection p, NDArray x, NDArray y) {
        if (add != null) {
            LoraAdapter.Pair pair = add.pair(p);
            if (pair != null) {
                y = y.add(pair.delta(x));
            }
        }
        if (subtract != null) {
            LoraAdapter.Pair pair = subtract.pair(p);
            if (pair != null) {
                y = y.sub(pair.delta(x));
            }
        }
        return y;
    }
}
