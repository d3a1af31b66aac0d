package org.trafficllm.model.impl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;

/**
 * A LoRA adapter over one base model: for each adapted projection, {@code A [r, in]},
 * {@code B [out, r]} and the scale ({@code alpha / r}, or {@code alpha / sqrt(r)}
 * with rsLoRA), adding {@code scale * B A x} to the projection's output.
 */
final class LoraAdapter extends Adapter {

    /** The low-rank pair of one projection. */
    static final class Pair {
        final Projection target;
        final NDArray a;
        final NDArray b;
        final float scale;

        Pair(Projection target, NDArray a, NDArray b, float scale) {
            this.target = target;
            this.a = a;
            this.b = b;
            this.scale = scale;
        }

        NDArray delta(NDArray x) {
            NDArray low = Linear.linear(x, a).singletonOrThrow();
            return DecoderModel.times(Linear.linear(low, b).singletonOrThrow(), scale);
        }

        /** {@code scale * B A}, shaped like the target's weight. */
        NDArray product() {
            return b.matMul(a).mul(scale);
        }

        int rank() {
            return (int) a.getShape().get(0);
        }
    }

    /** Indexed by {@link Projection#index}; null where the adapter leaves a projection alone. */
    final Pair[] pairs;

    LoraAdapter(String id, AdapterConfig config, NDManager manager, Pair[] pairs) {
        super(id, config, manager);
        this.pairs = pairs;
    }

    Pair pair(Projection p) {
        return pairs[p.index];
    }

    @Override
    int rank() {
        for (Pair p : pairs) {
            if (p != null) {
                return p.rank();
            }
        }
        return 0;
    }

    @Override
    long parameterCount() {
        long n = 0;
        for (Pair p : pairs) {
            if (p != null) {
                n += p.a.size() + p.b.size();
            }
        }
        return n;
    }
}
