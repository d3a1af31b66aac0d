package org.trafficllm.model.impl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A prefix-tuning adapter (P-Tuning v2): per layer, keys and values for
 * {@code numVirtualTokens} extra positions, shaped {@code [1, kvHeads, P, headDim]},
 * that every query attends to before the real tokens. They enter the KV cache as
 * they are (no rotary embedding), and real tokens' positions start at P, as in PEFT.
 */
final class PrefixAdapter extends Adapter {
    final NDArray[] keys;
    final NDArray[] values;
    final int virtualTokens;

    PrefixAdapter(String id, AdapterConfig config, NDManager manager, NDArray[] keys, NDArray[] values,
            int virtualTokens) {
        super(id, config, manager);
        this.keys = keys;
        this.values = values;
        this.virtualTokens = virtualTokens;
    }

    /**
     * The past keys and values in PEFT's layout, {@code [P, layers * 2 * kvDim]} (what a
     * prefix adapter's {@code prompt_embeddings} holds): the inverse of the per-layer
     * {@code [1, heads, P, headDim]} arrays the loader builds. Lives in this adapter's manager.
     */
    NDArray pastKeyValues() {
        NDArray[] parts = new NDArray[2 * keys.length];
        for (int l = 0; l < keys.length; l++) {
            parts[2 * l] = keys[l];
            parts[2 * l + 1] = values[l];
        }
        // [2 * layers, heads, P, d] -> [P, 2 * layers, heads, d] -> [P, layers * 2 * heads * d]
        return NDArrays.concat(new NDList(parts), 0).transpose(2, 0, 1, 3).reshape(virtualTokens, -1);
    }

    @Override
    int rank() {
        return virtualTokens;
    }

    @Override
    long parameterCount() {
        long n = 0;
        for (NDArray k : keys) {
            n += 2 * k.size();
        }
        return n;
    }
}
