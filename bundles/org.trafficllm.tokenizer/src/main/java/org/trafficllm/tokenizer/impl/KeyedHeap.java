package org.trafficllm.tokenizer.impl;

import java.util.Arrays;

/** A binary heap of (long key, int value) entries in primitive arrays; subclasses define the order. */
abstract class KeyedHeap {
    private long[] keys = new long[64];
    private int[] values = new int[64];
    private int size;

    /** Whether entry a comes out before entry b. */
    abstract boolean before(long keyA, int valueA, long keyB, int valueB);

    final int size() {
        return size;
    }

    final void clear() {
        size = 0;
    }

    final long topKey() {
        return keys[0];
    }

    final int topValue() {
        return values[0];
    }

    final void push(long key, int value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(key, value, keys[parent], values[parent])) {
                break;
            }
            keys[i] = keys[parent];
            values[i] = values[parent];
            i = parent;
        }
        keys[i] = key;
        values[i] = value;
    }

    final void pop() {
        size--;
        long key = keys[size];
        int value = values[size];
        int i = 0;
        while (2 * i + 1 < size) {
            int child = 2 * i + 1;
            if (child + 1 < size && before(keys[child + 1], values[child + 1], keys[child], values[child])) {
                child++;
            }
            if (!before(keys[child], values[child], key, value)) {
                break;
            }
            keys[i] = keys[child];
            values[i] = values[child];
            i = child;
        }
        keys[i] = key;
        values[i] = value;
    }
}
