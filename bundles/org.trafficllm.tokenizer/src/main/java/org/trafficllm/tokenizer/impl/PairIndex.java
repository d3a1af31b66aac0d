package org.trafficllm.tokenizer.impl;

import java.util.Arrays;

/**
 * Open-addressing map from a token pair (two non-negative ids packed in a long) to a dense slot
 * number, assigned in insertion order. Callers keep per-pair data in arrays indexed by slot, so
 * the hot loops of encoding and training touch no boxed keys.
 */
final class PairIndex {
    private static final long EMPTY = -1L;
    private long[] keys;
    private int[] slots;
    private long[] keyOfSlot;
    private int size;
    private int mask;

    PairIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        slots = new int[capacity];
        keyOfSlot = new long[Math.max(16, expected)];
        mask = capacity - 1;
    }

    static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair;
    }

    int size() {
        return size;
    }

    /** The slot of {@code pair}, or -1. */
    int find(long pair) {
        int i = position(pair);
        return keys[i] == EMPTY ? -1 : slots[i];
    }

    /** The slot of {@code pair}, created (as {@link #size()} before the call) when absent. */
    int add(long pair) {
        int i = position(pair);
        if (keys[i] != EMPTY) {
            return slots[i];
        }
        int slot = size++;
        keys[i] = pair;
        slots[i] = slot;
        if (slot == keyOfSlot.length) {
            keyOfSlot = Arrays.copyOf(keyOfSlot, slot * 2);
        }
        keyOfSlot[slot] = pair;
        if (size * 2 > keys.length) {
            grow();
        }
        return slot;
    }

    /** The table position holding {@code pair}, or the empty one where it would go. */
    private int position(long pair) {
        int i = spread(pair) & mask;
        while (keys[i] != pair && keys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        return i;
    }

    long pairAt(int slot) {
        return keyOfSlot[slot];
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        slots = new int[keys.length];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = position(oldKeys[j]);
                keys[i] = oldKeys[j];
                slots[i] = oldSlots[j];
            }
        }
    }

    private static int spread(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}
