package org.trafficllm.model.impl;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;

import org.trafficllm.api.model.ModelException;

/**
 * A decoder-only causal language model on DJL's NDArray API. Subclasses build the
 * architecture's layers; this class owns the weights, turns token rows into masks and
 * positions, runs grouped-query attention over the KV cache and computes logits.
 * All intermediate arrays of a forward pass are freed when it returns.
 */
abstract class DecoderModel implements AutoCloseable {
    /** Added to the scores of masked keys; finite, so a row with no key left stays a number. */
    static final float MASKED = -1e30f;

    ModelConfig config;
    final NDManager manager;
    final List<Projection> projections = new ArrayList<>();
    final Map<String, Projection> byModule = new LinkedHashMap<>();
    /** Every weight by its Hugging Face name, in checkpoint order; a tied head appears once. */
    final Map<String, NDArray> parameters = new LinkedHashMap<>();
    NDArray embedding;
    /** The output head [vocab, hidden]; the embedding itself when tied. */
    NDArray head;

    DecoderModel(ModelConfig config, NDManager manager) {
        this.config = config;
        this.manager = manager;
    }

    static DecoderModel load(ModelConfig config, Checkpoint checkpoint, NDManager manager) throws ModelException {
        DecoderModel model = config.arch == ModelConfig.Arch.GPT2 ? new Gpt2Decoder(config, manager)
                : new LlamaDecoder(config, manager);
        model.loadWeights(checkpoint);
        List<String> extra = checkpoint.untaken();
        if (!extra.isEmpty()) {
            throw new ModelException(checkpoint.source() + ": " + extra.size() + " unexpected tensor(s) for "
                    + config.modelType + ": " + (extra.size() > 5 ? extra.subList(0, 5) + "..." : extra));
        }
        return model;
    }

    abstract void loadWeights(Checkpoint checkpoint) throws ModelException;

    /** Runs the layers over embedded inputs; returns final-normed hidden states [B, T, H]. */
    abstract NDArray layers(NDArray hidden, Inputs in, KvCache cache, ActiveAdapters adapters);

    /** Embeds token ids [B, T] (and positions, for learned position embeddings). */
    abstract NDArray embed(NDArray ids, Inputs in);

    /** Everything one forward pass needs besides the weights. */
    static final class Inputs {
        NDArray ids;
        NDArray mask;
        int[] positions;
        NDArray positionIds;
        NDArray cos;
        NDArray sin;
        int batch;
        int tokens;

        List<NDArray> javaBacked() {
            List<NDArray> arrays = new ArrayList<>(5);
            for (NDArray a : new NDArray[] {ids, mask, positionIds, cos, sin}) {
                if (a != null) {
                    arrays.add(a);
                }
            }
            return arrays;
        }
    }

    /** Creates a weight and records it under its Hugging Face name. */
    NDArray weight(String name, float[] data, long... shape) {
        NDArray w = manager.create(FloatBuffer.wrap(data), new Shape(shape));
        parameters.put(name, w);
        return w;
    }

    Projection projection(Checkpoint ckpt, String storedName, String module, int in, int out, boolean bias,
            boolean conv1d) throws ModelException {
        float[] w;
        if (conv1d) {
            float[] stored = ckpt.take(storedName + ".weight", in, out);
            w = new float[stored.length];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    w[o * in + i] = stored[i * out + o];
                }
            }
        } else {
            w = ckpt.take(storedName + ".weight", out, in);
        }
        NDArray b = bias ? weight(module + ".bias", ckpt.take(storedName + ".bias", out), out) : null;
        Projection p = new Projection(module, projections.size(), in, out, conv1d, weight(module + ".weight", w, out, in),
                b);
        projections.add(p);
        byModule.put(module, p);
        return p;
    }

    /** The output head: the token embedding when tied (a stored copy is ignored), else {@code lm_head}. */
    void loadHead(Checkpoint ck) throws ModelException {
        if (config.tieEmbeddings) {
            head = embedding;
            ck.ignore("lm_head.weight");
        } else {
            head = weight("lm_head.weight", ck.take("lm_head.weight", config.vocabSize, config.hiddenSize),
                    config.vocabSize, config.hiddenSize);
        }
    }

    /**
     * Hidden states of new tokens. Rows are {@code ids[b]}, with {@code valid[b][t]}
     * false at padding; the cache is extended by these tokens. The result belongs to
     * the ids' manager; everything else created here is closed.
     */
    NDArray forward(NDManager requestManager, int[][] ids, boolean[][] valid, KvCache cache, ActiveAdapters adapters) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Inputs in = prepare(requestManager, ids, valid, cache);
            NDArray hidden = layers(embed(in.ids, in), in, cache, adapters);
            NDScope.unregister(hidden);
            // Arrays made from Java data borrow its memory, and DJL lets go of that memory when the array
            // is closed; a training step's backward pass still reads them (embedding indices, rotary
            // tables), so they stay open as long as the request's manager.
            for (NDArray a : in.javaBacked()) {
                NDScope.unregister(a);
            }
            for (NDArray a : cache.arrays()) {
                if (a != null) {
                    NDScope.unregister(a);
                }
            }
            return hidden;
        }
    }

    /** Logits [.., vocab] of hidden states [.., hidden]. */
    NDArray logits(NDArray hidden) {
        return Linear.linear(hidden, head).singletonOrThrow();
    }

    private Inputs prepare(NDManager m, int[][] ids, boolean[][] valid, KvCache cache) {
        int batch = ids.length;
        int tokens = ids[0].length;
        int past = cache.length;
        int total = past + tokens;
        Inputs in = new Inputs();
        in.batch = batch;
        in.tokens = tokens;
        long[] flatIds = new long[batch * tokens];
        int[] positions = new int[batch * tokens];
        float[] mask = new float[batch * tokens * total];
        boolean[][] newValid = new boolean[batch][];
        for (int b = 0; b < batch; b++) {
            boolean[] rowValid = new boolean[total];
            System.arraycopy(cache.valid[b], 0, rowValid, 0, past);
            int next = cache.nextPosition[b];
            for (int t = 0; t < tokens; t++) {
                boolean v = valid == null || valid[b][t];
                flatIds[b * tokens + t] = ids[b][t];
                rowValid[past + t] = v;
                positions[b * tokens + t] = v ? next++ : 0;
            }
            cache.nextPosition[b] = next;
            newValid[b] = rowValid;
            for (int t = 0; t < tokens; t++) {
                int base = (b * tokens + t) * total;
                int query = past + t;
                for (int s = 0; s < total; s++) {
                    mask[base + s] = rowValid[s] && s <= query ? 0f : MASKED;
                }
            }
        }
        cache.valid = newValid;
        in.ids = m.create(flatIds, new Shape(batch, tokens));
        in.mask = m.create(FloatBuffer.wrap(mask), new Shape(batch, 1, 1, tokens, total));
        in.positions = positions;
        return in;
    }

    /**
     * Scaled dot-product attention over the cache. Query heads are grouped over their
     * key/value head ([B, kvHeads, group, T, D]) so grouped-query attention needs no
     * copies of keys and values.
     */
    NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, float scale) {
        Shape qs = q.getShape();
        long b = qs.get(0);
        long heads = qs.get(1);
        long t = qs.get(2);
        long d = qs.get(3);
        long kvHeads = k.getShape().get(1);
        NDArray grouped = q.reshape(b, kvHeads, heads / kvHeads, t, d);
        NDArray keysT = k.expandDims(2).transpose(0, 1, 2, 4, 3);
        NDArray scores = times(grouped.matMul(keysT), scale).add(mask);
        NDArray out = scores.softmax(-1).matMul(v.expandDims(2));
        return out.reshape(b, heads, t, d).transpose(0, 2, 1, 3).reshape(b, t, heads * d);
    }

    /**
     * {@code x} times a constant. DJL turns a Java number into a tensor over a Java buffer and
     * closes it right after the operation, after which the buffer may be collected; the backward
     * pass of a multiplication reads that operand again. So the constant is copied into memory
     * PyTorch owns, which autograd keeps as long as it needs it.
     */
    static NDArray times(NDArray x, float c) {
        try (NDArray borrowed = x.getManager().create(c); NDArray owned = borrowed.duplicate()) {
            return x.mul(owned);
        }
    }

    /** [B, T, heads * D] to [B, heads, T, D]. */
    static NDArray splitHeads(NDArray x, int heads, int headDim) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, headDim).transpose(0, 2, 1, 3);
    }

    static NDArray embedRows(NDArray indices, NDArray table) {
        return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    static NDArray concatLast(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b), a.getShape().dimension() - 1);
    }

    NDArray longs(NDManager m, int[] values, long... shape) {
        long[] v = new long[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return m.create(v, new Shape(shape)).toType(DataType.INT64, false);
    }

    long parameterCount() {
        long n = 0;
        for (NDArray p : parameters.values()) {
            n += p.size();
        }
        return n;
    }

    Map<String, Projection> projectionsByModule() {
        return Collections.unmodifiableMap(byModule);
    }

    /**
     * Grows the vocabulary: new embedding (and untied head) rows start as the mean of
     * the listed existing rows, or of all existing rows when none are listed.
     */
    void growVocabulary(int newSize, Map<Integer, int[]> initFrom) throws ModelException {
        int old = config.vocabSize;
        if (newSize < old) {
            throw new ModelException("vocabulary can only grow: " + newSize + " < " + old);
        }
        for (Map.Entry<Integer, int[]> e : initFrom.entrySet()) {
            if (e.getKey() < old || e.getKey() >= newSize) {
                throw new ModelException("new token id " + e.getKey() + " is not in [" + old + ", " + newSize + ")");
            }
            for (int id : e.getValue()) {
                if (id < 0 || id >= old) {
                    throw new ModelException("new token " + e.getKey() + ": source id " + id + " is not an existing token");
                }
            }
        }
        String embeddingName = parameters.entrySet().stream().filter(e -> e.getValue() == embedding).findFirst()
                .orElseThrow().getKey();
        boolean tied = head == embedding;
        NDArray grown = grow(embeddingName, embedding, old, newSize, initFrom);
        embedding.close();
        embedding = grown;
        if (tied) {
            head = grown;
        } else {
            NDArray grownHead = grow("lm_head.weight", head, old, newSize, initFrom);
            head.close();
            head = grownHead;
        }
        ObjectNode raw = config.raw.deepCopy();
        raw.put("vocab_size", newSize);
        config = ModelConfig.parse("config.json (grown vocabulary)", raw.toString().getBytes(StandardCharsets.UTF_8));
    }

    private NDArray grow(String name, NDArray table, int old, int newSize, Map<Integer, int[]> initFrom) {
        int h = config.hiddenSize;
        float[] rows = table.toFloatArray();
        float[] out = java.util.Arrays.copyOf(rows, newSize * h);
        int[] all = java.util.stream.IntStream.range(0, old).toArray();
        for (int id = old; id < newSize; id++) {
            int[] from = initFrom.getOrDefault(id, all);
            if (from.length == 0) {
                from = all;
            }
            for (int src : from) {
                for (int j = 0; j < h; j++) {
                    out[id * h + j] += rows[src * h + j] / from.length;
                }
            }
        }
        return weight(name, out, newSize, h);
    }

    @Override
    public void close() {
        manager.close();
    }
}
