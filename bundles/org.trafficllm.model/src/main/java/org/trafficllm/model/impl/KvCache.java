package org.trafficllm.model.impl;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;

/**
 * Keys and values of every layer for the tokens seen so far, {@code [B, kvHeads, S,
 * headDim]}, with which cache slots hold real tokens (padding does not) and each
 * row's next position. A prefix adapter's virtual tokens occupy the first slots.
 */
final class KvCache implements AutoCloseable {
    final int batch;
    final NDArray[] keys;
    final NDArray[] values;
    /** valid[b][s]: slot s of row b holds a token to attend to. */
    boolean[][] valid;
    int length;
    final int[] nextPosition;

    KvCache(int layers, int batch) {
        this.batch = batch;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.valid = new boolean[batch][0];
        this.nextPosition = new int[batch];
    }

    /** A cache that starts with a prefix adapter's virtual tokens (or empty). */
    static KvCache start(int layers, int batch, PrefixAdapter prefix) {
        KvCache c = new KvCache(layers, batch);
        if (prefix != null) {
            int p = prefix.virtualTokens;
            for (int l = 0; l < layers; l++) {
                c.keys[l] = prefix.keys[l].repeat(0, batch);
                c.values[l] = prefix.values[l].repeat(0, batch);
            }
            for (int b = 0; b < batch; b++) {
                c.valid[b] = new boolean[p];
                Arrays.fill(c.valid[b], true);
            }
            c.length = p;
            Arrays.fill(c.nextPosition, p);
        }
        return c;
    }

    /**
     * A copy in which every row is repeated {@code copies} times in a row (row
     * {@code b} becomes rows {@code b * copies .. b * copies + copies - 1}), to continue
     * each row several ways.
     */
    KvCache fork(int copies) {
        KvCache c = new KvCache(keys.length, batch * copies);
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                c.keys[l] = keys[l].repeat(0, copies);
                c.values[l] = values[l].repeat(0, copies);
            }
        }
        for (int b = 0; b < c.batch; b++) {
            c.valid[b] = valid[b / copies].clone();
            c.nextPosition[b] = nextPosition[b / copies];
        }
        c.length = length;
        return c;
    }

    /** Appends a layer's new keys and values, closing the arrays they replace. */
    void append(int layer, NDArray k, NDArray v) {
        NDArray oldK = keys[layer];
        NDArray oldV = values[layer];
        keys[layer] = oldK == null ? k : oldK.concat(k, 2);
        values[layer] = oldV == null ? v : oldV.concat(v, 2);
        if (oldK != null) {
            oldK.close();
            oldV.close();
            k.close();
            v.close();
        }
    }

    NDArray[] arrays() {
        NDArray[] all = new NDArray[keys.length * 2];
        System.arraycopy(keys, 0, all, 0, keys.length);
        System.arraycopy(values, 0, all, keys.length, values.length);
        return all;
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                keys[l].close();
                values[l].close();
                keys[l] = null;
                values[l] = null;
            }
        }
    }
}
