package org.trafficllm.tokenizer.impl;

import java.util.HashMap;

/**
 * Applies a {@link BpeModel}'s merges to one pre-tokenized word the way Hugging Face tokenizers
 * do: a min-heap of candidate merges ordered by rank, then position; a popped candidate is used
 * only if its position still holds a pair that merges to the same id. This order matters: a
 * greedy left-to-right merge gives different tokens on some inputs. Not thread-safe.
 */
final class BpeWordEncoder {
    private static final int CACHE_LIMIT = 200_000;
    private static final int CACHE_MAX_WORD = 64;

    private final BpeModel model;
    private final HashMap<String, int[]> cache = new HashMap<>();
    private int[] ids = new int[64];
    private int[] prev = new int[64];
    private int[] next = new int[64];
    private boolean[] removed = new boolean[64];
    /** Candidate merges keyed by (rank, position), the smallest first, with the id they make. */
    private final KeyedHeap heap = new KeyedHeap() {
        @Override
        boolean before(long keyA, int idA, long keyB, int idB) {
            return keyA < keyB;
        }
    };

    BpeWordEncoder(BpeModel model) {
        this.model = model;
    }

    /** Appends the ids of {@code word} (a byte-level string) to {@code out}. */
    void encode(String word, IntSequence out) {
        boolean cacheable = word.length() <= CACHE_MAX_WORD;
        if (cacheable) {
            int[] cached = cache.get(word);
            if (cached != null) {
                out.addAll(cached, cached.length);
                return;
            }
        }
        int start = out.size();
        int n = load(word);
        merge(n);
        for (int i = 0; i < n; i++) {
            if (!removed[i]) {
                out.add(ids[i]);
            }
        }
        if (cacheable) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            int[] result = new int[out.size() - start];
            for (int i = 0; i < result.length; i++) {
                result[i] = out.get(start + i);
            }
            cache.put(word, result);
        }
    }

    /** The ids of {@code word}, in a new array. */
    int[] encode(String word) {
        IntSequence out = new IntSequence(word.length());
        encode(word, out);
        return out.toArray();
    }

    private int load(String word) {
        int capacity = word.length();
        if (capacity > ids.length) {
            int size = Math.max(capacity, ids.length * 2);
            ids = new int[size];
            prev = new int[size];
            next = new int[size];
            removed = new boolean[size];
        }
        int n = 0;
        for (int i = 0; i < word.length();) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            int id = model.charId(cp);
            // Hugging Face BPE without unk_token drops characters outside the vocabulary.
            if (id < 0) {
                continue;
            }
            ids[n] = id;
            prev[n] = n - 1;
            next[n] = n + 1;
            removed[n] = false;
            n++;
        }
        if (n > 0) {
            next[n - 1] = -1;
        }
        return n;
    }

    private void merge(int n) {
        heap.clear();
        for (int i = 0; i + 1 < n; i++) {
            offer(i, ids[i], ids[i + 1]);
        }
        while (heap.size() > 0) {
            long key = heap.topKey();
            int newId = heap.topValue();
            heap.pop();
            int pos = (int) key;
            if (removed[pos] || next[pos] == -1) {
                continue;
            }
            int right = next[pos];
            int slot = model.mergeSlot(ids[pos], ids[right]);
            if (slot < 0 || model.mergedIdAt(slot) != newId) {
                continue;
            }
            ids[pos] = newId;
            removed[right] = true;
            next[pos] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = pos;
            }
            if (prev[pos] >= 0) {
                offer(prev[pos], ids[prev[pos]], newId);
            }
            if (next[pos] >= 0) {
                offer(pos, newId, ids[next[pos]]);
            }
        }
    }

    private void offer(int pos, int left, int right) {
        int slot = model.mergeSlot(left, right);
        if (slot >= 0) {
            heap.push(((long) model.rankAt(slot) << 32) | pos, model.mergedIdAt(slot));
        }
    }
}
