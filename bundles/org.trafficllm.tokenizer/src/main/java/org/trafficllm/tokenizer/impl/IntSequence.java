package org.trafficllm.tokenizer.impl;

import java.util.Arrays;

/** A growable run of ints, reused across calls so that encoding allocates little. */
final class IntSequence {
    private int[] values;
    private int size;

    IntSequence(int capacity) {
        values = new int[Math.max(4, capacity)];
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    void addAll(int[] source, int count) {
        if (size + count > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, size + count));
        }
        System.arraycopy(source, 0, values, size, count);
        size += count;
    }

    int get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
