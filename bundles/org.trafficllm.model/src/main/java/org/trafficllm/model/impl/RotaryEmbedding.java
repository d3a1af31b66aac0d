package org.trafficllm.model.impl;

/**
 * Rotary position embedding as transformers computes it: inverse frequencies
 * {@code 1 / theta^(2i/d)} in float32, optionally rescaled ("linear", "dynamic" NTK,
 * "llama3"), angles {@code position * invFreq} in float32, and the cos/sin of the
 * angles repeated over both halves of the head ({@code rotate_half} convention).
 */
final class RotaryEmbedding {
    private final int headDim;
    private final float[] invFreq;
    private final ModelConfig.RopeScaling scaling;
    private final double theta;
    private final int maxPositions;

    RotaryEmbedding(ModelConfig c) {
        this.headDim = c.headDim;
        this.scaling = c.ropeScaling;
        this.theta = c.ropeTheta;
        this.maxPositions = c.maxPositions;
        this.invFreq = scaled(baseFrequencies(theta, headDim), c);
    }

    private static float[] baseFrequencies(double theta, int dim) {
        float[] f = new float[dim / 2];
        for (int i = 0; i < f.length; i++) {
            float exponent = (float) (2 * i) / dim;
            f[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
        }
        return f;
    }

    private static float[] scaled(float[] f, ModelConfig c) {
        ModelConfig.RopeScaling s = c.ropeScaling;
        switch (s.type()) {
            case "linear" -> {
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) (f[i] / s.factor());
                }
            }
            case "llama3" -> {
                double oldContext = s.originalMaxPositions() > 0 ? s.originalMaxPositions() : 8192;
                double lowWavelen = oldContext / s.lowFreqFactor();
                double highWavelen = oldContext / s.highFreqFactor();
                for (int i = 0; i < f.length; i++) {
                    double wavelen = 2 * Math.PI / f[i];
                    if (wavelen > lowWavelen) {
                        f[i] = (float) (f[i] / s.factor());
                    } else if (wavelen >= highWavelen) {
                        double smooth = (oldContext / wavelen - s.lowFreqFactor())
                                / (s.highFreqFactor() - s.lowFreqFactor());
                        f[i] = (float) ((1 - smooth) * f[i] / s.factor() + smooth * f[i]);
                    }
                }
            }
            default -> {
                // "default" and "dynamic" start from the plain frequencies; dynamic rescales per sequence length
            }
        }
        return f;
    }

    /**
     * Frequencies for a forward pass whose longest sequence reaches {@code seqLen}
     * positions: "dynamic" NTK scaling raises theta once the context is exceeded.
     */
    private float[] frequencies(int seqLen) {
        if (!"dynamic".equals(scaling.type()) || seqLen <= maxPositions) {
            return invFreq;
        }
        double factor = scaling.factor();
        double base = theta * Math.pow(factor * seqLen / maxPositions - (factor - 1), headDim / (headDim - 2.0));
        return baseFrequencies(base, headDim);
    }

    /**
     * Fills cos and sin tables {@code [n][headDim]} (flattened) for the given positions.
     */
    void table(int[] positions, float[] cos, float[] sin) {
        int max = 0;
        for (int p : positions) {
            max = Math.max(max, p + 1);
        }
        float[] freq = frequencies(max);
        int half = headDim / 2;
        for (int n = 0; n < positions.length; n++) {
            float pos = positions[n];
            int row = n * headDim;
            for (int i = 0; i < half; i++) {
                float angle = pos * freq[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[row + i] = c;
                cos[row + half + i] = c;
                sin[row + i] = s;
                sin[row + half + i] = s;
            }
        }
    }
}
