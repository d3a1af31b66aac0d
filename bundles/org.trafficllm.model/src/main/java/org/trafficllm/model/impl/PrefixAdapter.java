package org.trafficllm.model.impl;

import ai.djl.ndarray.NDArray;
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
