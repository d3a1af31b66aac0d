package org.trafficllm.model.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.model.impl.SafetensorsFile.Tensor;

/**
 * Reads a PEFT adapter ({@code adapter_config.json} + {@code adapter_model.safetensors})
 * and checks it against the base model before anything is kept: every tensor must
 * belong to a projection of this base with matching shapes, and every targeted
 * projection must have its pair. Fails with the adapter, the file and the tensor named.
 */
final class AdapterLoader {
    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";
    private static final String KEY_PREFIX = "base_model.model.";

    private AdapterLoader() {
    }

    /** Loads on an engine thread into a fresh sub-manager of {@code parent}; on failure that manager is closed. */
    static Adapter load(String id, AdapterFiles files, DecoderModel model, NDManager parent) throws ModelException {
        String where = "adapter '" + id + "' (" + files.origin() + ")";
        AdapterConfig config = AdapterConfig.parse(where + ": " + CONFIG, read(where, files, CONFIG));
        SafetensorsFile weights = SafetensorsFile.parse(where + ": " + WEIGHTS, read(where, files, WEIGHTS));
        NDManager manager = parent.newSubManager();
        try {
            return config.peftType.equals(AdapterConfig.LORA)
                    ? lora(id, where + ": " + WEIGHTS, config, weights.tensors(), model, manager)
                    : prefix(id, where + ": " + WEIGHTS, config, weights.tensors(), model, manager);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static byte[] read(String where, AdapterFiles files, String name) throws ModelException {
        try (InputStream in = files.open(name)) {
            if (in == null) {
                throw new ModelException(where + ": " + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelException(where + ": " + name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static LoraAdapter lora(String id, String where, AdapterConfig config, Map<String, Tensor> tensors,
            DecoderModel model, NDManager manager) throws ModelException {
        Map<String, Tensor[]> byModule = new TreeMap<>();
        for (Tensor t : tensors.values()) {
            String name = t.name();
            int slot = name.endsWith(".lora_A.weight") ? 0 : name.endsWith(".lora_B.weight") ? 1 : -1;
            if (slot < 0) {
                throw new ModelException(where + ": tensor " + name + " is not a LoRA A/B weight (only lora_A/lora_B of "
                        + "linear layers are supported)");
            }
            String module = name.substring(0, name.length() - ".lora_A.weight".length());
            if (module.startsWith(KEY_PREFIX)) {
                module = module.substring(KEY_PREFIX.length());
            }
            if (!model.byModule.containsKey(module)) {
                throw new ModelException(where + ": tensor " + name + " adapts '" + module + "', which this "
                        + model.config.modelType + " base model does not have");
            }
            byModule.computeIfAbsent(module, m -> new Tensor[2])[slot] = t;
        }
        for (Projection p : model.projections) {
            if (config.targets(p.module) && !byModule.containsKey(p.module)) {
                throw new ModelException(where + ": no lora_A/lora_B weights for targeted module " + p.module);
            }
        }
        if (byModule.isEmpty()) {
            throw new ModelException(where + ": no LoRA weights");
        }
        LoraAdapter.Pair[] pairs = new LoraAdapter.Pair[model.projections.size()];
        for (Map.Entry<String, Tensor[]> e : byModule.entrySet()) {
            Projection p = model.byModule.get(e.getKey());
            Tensor a = e.getValue()[0];
            Tensor b = e.getValue()[1];
            if (a == null || b == null) {
                throw new ModelException(where + ": module " + e.getKey() + " has lora_" + (a == null ? "B" : "A")
                        + " but no lora_" + (a == null ? "A" : "B"));
            }
            long r = a.shape().length == 2 ? a.shape()[0] : -1;
            if (r <= 0 || !Arrays.equals(a.shape(), new long[] {r, p.in})) {
                throw new ModelException(where + ": tensor " + a.name() + " has shape " + Arrays.toString(a.shape())
                        + ", this base model needs [r, " + p.in + "]");
            }
            if (!Arrays.equals(b.shape(), new long[] {p.out, r})) {
                throw new ModelException(where + ": tensor " + b.name() + " has shape " + Arrays.toString(b.shape())
                        + ", this base model needs [" + p.out + ", " + r + "]");
            }
            float scale = (float) config.scale(p.module, (int) r);
            pairs[p.index] = new LoraAdapter.Pair(p, create(manager, a), create(manager, b), scale);
        }
        return new LoraAdapter(id, config, manager, pairs);
    }

    private static PrefixAdapter prefix(String id, String where, AdapterConfig config, Map<String, Tensor> tensors,
            DecoderModel model, NDManager manager) throws ModelException {
        ModelConfig c = model.config;
        int layers = c.layers;
        int kvDim = c.kvDim();
        int p = config.numVirtualTokens;
        if (config.numLayers != 0 && config.numLayers != layers) {
            throw new ModelException(where + ": num_layers " + config.numLayers + ", this base model has " + layers);
        }
        if (config.tokenDim != 0 && config.tokenDim != kvDim) {
            throw new ModelException(where + ": token_dim " + config.tokenDim + ", this base model needs num_key_value_heads"
                    + " x head_dim = " + kvDim);
        }
        if (config.numAttentionHeads != 0 && config.numAttentionHeads != c.kvHeads) {
            throw new ModelException(where + ": num_attention_heads " + config.numAttentionHeads
                    + ", this base model has " + c.kvHeads + " key/value heads");
        }
        int width = layers * 2 * kvDim;
        float[] past = pastKeyValues(where, config, tensors, p, kvDim, width);
        NDArray[] keys = new NDArray[layers];
        NDArray[] values = new NDArray[layers];
        int d = c.headDim;
        int heads = c.kvHeads;
        for (int l = 0; l < layers; l++) {
            for (int kind = 0; kind < 2; kind++) {
                float[] out = new float[heads * p * d];
                for (int h = 0; h < heads; h++) {
                    for (int t = 0; t < p; t++) {
                        int src = t * width + (2 * l + kind) * kvDim + h * d;
                        System.arraycopy(past, src, out, (h * p + t) * d, d);
                    }
                }
                NDArray a = manager.create(FloatBuffer.wrap(out), new Shape(1, heads, p, d));
                if (kind == 0) {
                    keys[l] = a;
                } else {
                    values[l] = a;
                }
            }
        }
        return new PrefixAdapter(id, config, manager, keys, values, p);
    }

    /**
     * The prefix's past key/values {@code [P, layers * 2 * kvDim]}: PEFT saves them as
     * {@code prompt_embeddings}; a checkpoint that kept the projection encoder
     * (embedding, Linear, Tanh, Linear) is run through it here.
     */
    private static float[] pastKeyValues(String where, AdapterConfig config, Map<String, Tensor> tensors, int p,
            int kvDim, int width) throws ModelException {
        Tensor embeddings = tensors.get("prompt_embeddings");
        if (embeddings == null) {
            embeddings = suffix(tensors, "embedding.weight");
        }
        if (embeddings == null) {
            throw new ModelException(where + ": no prompt_embeddings tensor");
        }
        long[] shape = embeddings.shape();
        if (shape.length == 2 && shape[0] == p && shape[1] == width) {
            checkOnly(where, tensors, embeddings);
            return embeddings.toFloats();
        }
        Tensor w1 = suffix(tensors, "transform.0.weight");
        Tensor b1 = suffix(tensors, "transform.0.bias");
        Tensor w2 = suffix(tensors, "transform.2.weight");
        Tensor b2 = suffix(tensors, "transform.2.bias");
        if (w1 == null || b1 == null || w2 == null || b2 == null || shape.length != 2 || shape[0] != p) {
            throw new ModelException(where + ": tensor " + embeddings.name() + " has shape " + Arrays.toString(shape)
                    + ", this base model needs [" + p + ", " + width + "] (or a prefix projection encoder)");
        }
        int tokenDim = (int) shape[1];
        int hidden = (int) w1.shape()[0];
        expect(where, w1, hidden, tokenDim);
        expect(where, b1, hidden);
        expect(where, w2, width, hidden);
        expect(where, b2, width);
        float[] e = embeddings.toFloats();
        float[] mid = affine(e, p, tokenDim, w1.toFloats(), b1.toFloats(), hidden);
        for (int i = 0; i < mid.length; i++) {
            mid[i] = (float) Math.tanh(mid[i]);
        }
        return affine(mid, p, hidden, w2.toFloats(), b2.toFloats(), width);
    }

    private static float[] affine(float[] x, int rows, int in, float[] w, float[] b, int out) {
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += (double) x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = (float) s;
            }
        }
        return y;
    }

    private static void expect(String where, Tensor t, long... shape) throws ModelException {
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelException(where + ": tensor " + t.name() + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
    }

    private static void checkOnly(String where, Map<String, Tensor> tensors, Tensor used) throws ModelException {
        List<String> extra = new ArrayList<>(new TreeSet<>(tensors.keySet()));
        extra.remove(used.name());
        extra.removeIf(n -> n.contains("transform."));
        if (!extra.isEmpty()) {
            throw new ModelException(where + ": unexpected tensor(s) for prefix tuning: " + extra);
        }
    }

    private static Tensor suffix(Map<String, Tensor> tensors, String suffix) {
        for (Tensor t : tensors.values()) {
            if (t.name().equals(suffix) || t.name().endsWith("." + suffix)) {
                return t;
            }
        }
        return null;
    }

    private static NDArray create(NDManager m, Tensor t) throws ModelException {
        if (!t.type().isFloat()) {
            throw new ModelException("tensor " + t.name() + " is " + t.type() + ", adapter weights must be floating point");
        }
        return m.create(FloatBuffer.wrap(t.toFloats()), new Shape(t.shape()));
    }
}
