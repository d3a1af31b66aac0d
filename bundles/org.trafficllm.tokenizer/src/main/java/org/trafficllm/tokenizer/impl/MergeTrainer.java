package org.trafficllm.tokenizer.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.TokenizerProgressListener;

/**
 * Learns BPE merges over distinct words that are already segmented into token ids (by the base
 * merges), the classic fast way: pair counts weighted by word frequency, for every pair the
 * words it occurs in, and a max-heap of pairs whose stale entries are refreshed when popped.
 * Each merge touches only the words that contain its pair and changes counts locally around
 * every occurrence.
 * <p>
 * Ties go to the pair with the smaller (left id, right id), so the result depends only on the
 * input. A pair whose concatenation is already a token is never merged: every learned token is
 * new and made by exactly one merge, which keeps a Hugging Face encoder's rank-ordered merging
 * and this left-to-right training in step.
 */
final class MergeTrainer {

    /** One learned merge: {@code left} and {@code right} become {@code id}. */
    record Merge(int left, int right, int id, String token) {
    }

    private final int[][] words;
    private final int[] lengths;
    private final long[] frequencies;
    private final Map<String, Integer> vocab;
    private final List<String> tokens;
    private final PairIndex pairs;
    private long[] counts;
    private int[][] occurrences;
    private int[] occurrenceSizes;
    private final int[] stamps;
    private int stamp;
    private final PairHeap heap = new PairHeap();
    private int[] touched = new int[64];
    private int touchedSize;
    private boolean[] isTouched = new boolean[1024];

    /**
     * @param words every distinct word as token ids; rewritten in place while merging
     * @param frequencies how often each word occurs
     * @param vocab every existing token → id; learned tokens are added
     * @param tokens id → token for every id below the first new id; learned tokens are appended
     */
    MergeTrainer(int[][] words, long[] frequencies, Map<String, Integer> vocab, List<String> tokens) {
        this.words = words;
        this.frequencies = frequencies;
        this.vocab = vocab;
        this.tokens = tokens;
        lengths = new int[words.length];
        stamps = new int[words.length];
        long positions = 0;
        for (int w = 0; w < words.length; w++) {
            lengths[w] = words[w].length;
            positions += Math.max(0, lengths[w] - 1);
        }
        pairs = new PairIndex((int) Math.min(1 << 22, Math.max(1024, positions / 4)));
        counts = new long[1024];
        occurrences = new int[1024][];
        occurrenceSizes = new int[1024];
    }

    /**
     * Learns up to {@code wanted} merges of pairs seen at least {@code minFrequency} times.
     *
     * @throws TokenizerException when the thread is interrupted; nothing learned is kept
     */
    List<Merge> train(int wanted, long minFrequency, TokenizerProgressListener listener) throws TokenizerException {
        countInitialPairs();
        for (int slot = 0; slot < pairs.size(); slot++) {
            if (counts[slot] > 0) {
                heap.push(counts[slot], slot);
            }
        }
        ProgressReporter progress = new ProgressReporter(listener, "merge", "merges", wanted);
        List<Merge> merges = new ArrayList<>(wanted);
        while (merges.size() < wanted && heap.size() > 0) {
            long count = heap.topKey();
            int slot = heap.topValue();
            heap.pop();
            if (count != counts[slot]) {
                if (counts[slot] > 0) {
                    heap.push(counts[slot], slot);
                }
                continue;
            }
            if (count < minFrequency) {
                break;
            }
            long pair = pairs.pairAt(slot);
            int left = PairIndex.left(pair);
            int right = PairIndex.right(pair);
            String token = tokens.get(left) + tokens.get(right);
            if (vocab.containsKey(token)) {
                continue;
            }
            int id = tokens.size();
            tokens.add(token);
            vocab.put(token, id);
            merges.add(new Merge(left, right, id, token));
            apply(slot, left, right, id);
            progress.update(merges.size());
            if ((merges.size() & 0xFF) == 0 && Thread.currentThread().isInterrupted()) {
                throw new TokenizerException("training interrupted after " + merges.size() + " of " + wanted
                        + " merges; nothing written");
            }
        }
        progress.finish(merges.size());
        return merges;
    }

    private void countInitialPairs() {
        for (int w = 0; w < words.length; w++) {
            int[] s = words[w];
            for (int i = 0; i + 1 < lengths[w]; i++) {
                int slot = slotOf(PairIndex.pair(s[i], s[i + 1]));
                counts[slot] += frequencies[w];
                addOccurrence(slot, w);
            }
        }
    }

    /** Merges every occurrence of the pair in {@code slot} and pushes the pairs that gained. */
    private void apply(int slot, int left, int right, int id) {
        int[] where = occurrences[slot];
        int n = occurrenceSizes[slot];
        occurrences[slot] = null;
        occurrenceSizes[slot] = 0;
        stamp++;
        for (int k = 0; k < n; k++) {
            int w = where[k];
            if (stamps[w] != stamp) {
                stamps[w] = stamp;
                mergeWord(w, left, right, id);
            }
        }
        counts[slot] = 0;
        for (int t = 0; t < touchedSize; t++) {
            int s = touched[t];
            isTouched[s] = false;
            if (counts[s] > 0) {
                heap.push(counts[s], s);
            }
        }
        touchedSize = 0;
    }

    private void mergeWord(int w, int left, int right, int id) {
        int[] s = words[w];
        int n = lengths[w];
        long f = frequencies[w];
        int out = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && s[i] == left && s[i + 1] == right) {
                if (out > 0) {
                    change(PairIndex.pair(s[out - 1], left), -f, w);
                    change(PairIndex.pair(s[out - 1], id), f, w);
                }
                if (i + 2 < n) {
                    change(PairIndex.pair(right, s[i + 2]), -f, w);
                    change(PairIndex.pair(id, s[i + 2]), f, w);
                }
                s[out++] = id;
                i += 2;
            } else {
                s[out++] = s[i++];
            }
        }
        lengths[w] = out;
    }

    private void change(long pair, long delta, int w) {
        if (delta < 0) {
            counts[pairs.find(pair)] += delta;
            return;
        }
        int slot = slotOf(pair);
        counts[slot] += delta;
        addOccurrence(slot, w);
        if (!isTouched[slot]) {
            isTouched[slot] = true;
            if (touchedSize == touched.length) {
                touched = Arrays.copyOf(touched, touchedSize * 2);
            }
            touched[touchedSize++] = slot;
        }
    }

    private int slotOf(long pair) {
        int slot = pairs.add(pair);
        if (slot == counts.length) {
            int size = counts.length * 2;
            counts = Arrays.copyOf(counts, size);
            occurrences = Arrays.copyOf(occurrences, size);
            occurrenceSizes = Arrays.copyOf(occurrenceSizes, size);
            isTouched = Arrays.copyOf(isTouched, size);
        }
        return slot;
    }

    private void addOccurrence(int slot, int w) {
        int[] list = occurrences[slot];
        int size = occurrenceSizes[slot];
        if (list == null) {
            list = new int[2];
            occurrences[slot] = list;
        } else if (list[size - 1] == w) {
            return;
        } else if (size == list.length) {
            list = Arrays.copyOf(list, size + (size >> 1) + 1);
            occurrences[slot] = list;
        }
        list[size] = w;
        occurrenceSizes[slot] = size + 1;
    }

    /** Max-heap of (count, pair slot); equal counts put the smaller pair first. */
    private final class PairHeap extends KeyedHeap {
        @Override
        boolean before(long countA, int slotA, long countB, int slotB) {
            if (countA != countB) {
                return countA > countB;
            }
            return pairs.pairAt(slotA) < pairs.pairAt(slotB);
        }
    }
}
