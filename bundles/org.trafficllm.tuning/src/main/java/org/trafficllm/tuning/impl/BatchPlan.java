package org.trafficllm.tuning.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The order in which training samples are seen: every epoch the samples are shuffled
 * with a seed derived from the run's seed and the epoch, cut into pools of many
 * batches, each pool sorted by length and cut into batches (so a batch holds
 * sequences of similar length and pads little), and the batches shuffled. Batch
 * {@code g} of the run is a pure function of the seed and {@code g}, which is all a
 * resumed run needs to continue the same order.
 */
final class BatchPlan {
    /** Batches per sorting pool: large enough to bucket well, small enough to keep batches varied. */
    static final int POOL_BATCHES = 32;

    private final int[] lengths;
    private final int batchSize;
    private final long seed;
    private final int batchesPerEpoch;
    private long cachedEpoch = -1;
    private List<int[]> cached;

    BatchPlan(int[] lengths, int batchSize, long seed) {
        if (lengths.length == 0 || batchSize <= 0) {
            throw new IllegalArgumentException("a batch plan needs samples and a positive batch size");
        }
        this.lengths = lengths.clone();
        this.batchSize = batchSize;
        this.seed = seed;
        this.batchesPerEpoch = (lengths.length + batchSize - 1) / batchSize;
    }

    int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Sample indices of the run's batch {@code g} (0-based, counted over all epochs). */
    int[] batch(long g) {
        long epoch = g / batchesPerEpoch;
        if (epoch != cachedEpoch) {
            cached = epoch(epoch);
            cachedEpoch = epoch;
        }
        return cached.get((int) (g % batchesPerEpoch));
    }

    List<int[]> epoch(long epoch) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
        int n = lengths.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        List<int[]> batches = new ArrayList<>(batchesPerEpoch);
        int pool = batchSize * POOL_BATCHES;
        for (int from = 0; from < n; from += pool) {
            Integer[] part = Arrays.copyOfRange(order, from, Math.min(n, from + pool));
            Arrays.sort(part, (a, b) -> lengths[a] != lengths[b] ? Integer.compare(lengths[a], lengths[b])
                    : Integer.compare(a, b));
            for (int b = 0; b < part.length; b += batchSize) {
                int[] batch = new int[Math.min(batchSize, part.length - b)];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = part[b + i];
                }
                batches.add(batch);
            }
        }
        shuffle(batches, random);
        return batches;
    }

    private static <T> void shuffle(T[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static <T> void shuffle(List<T> a, Random random) {
        for (int i = a.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            a.set(i, a.set(j, a.get(i)));
        }
    }
}
