package org.trafficllm.tuning.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The order in which training samples are seen: every epoch the samples are shuffled
 * with a seed derived from the run's seed and the epoch, cut into pools of many
 * batches, each pool sorted by length and cut into batches (so a batch holds
 * sequences of similar length and pads little), and the batches shuffled. Batch
 * {@code g} of the run is a pure function of the seed and {@code g}, which is all a
 * resumed run needs to continue the same order.
 *
 * <p>With a class balance {@code b > 0}, an epoch is not the samples once but a
 * multiset in which each class has at least {@code ceil(b x largest class)} members:
 * a smaller class's samples repeated whole as often as fit, the rest drawn without
 * repeats with the epoch's seed. Macro-averaged metrics weigh a class of 40 samples as
 * much as one of 1,300; without it the gradient hardly does.
 */
final class BatchPlan {
    /** Batches per sorting pool: large enough to bucket well, small enough to keep batches varied. */
    static final int POOL_BATCHES = 32;

    private final int[] lengths;
    private final int batchSize;
    private final long seed;
    private final int batchesPerEpoch;
    /** Each class's sample indices, ascending; null without balancing. */
    private final int[][] members;
    /** How many of each class an epoch holds; null without balancing. */
    private final int[] perEpoch;
    private long cachedEpoch = -1;
    private List<int[]> cached;

    BatchPlan(int[] lengths, int batchSize, long seed) {
        this(lengths, null, 0, batchSize, seed);
    }

    /**
     * @param classOf each sample's class (any non-negative ids), or null
     * @param balance 0 for the samples' own proportions, up to 1 for classes seen equally often
     */
    BatchPlan(int[] lengths, int[] classOf, double balance, int batchSize, long seed) {
        if (lengths.length == 0 || batchSize <= 0) {
            throw new IllegalArgumentException("a batch plan needs samples and a positive batch size");
        }
        if (!(balance >= 0 && balance <= 1)) {
            throw new IllegalArgumentException("class balance must be in [0, 1], is " + balance);
        }
        this.lengths = lengths.clone();
        this.batchSize = batchSize;
        this.seed = seed;
        int epochSize = lengths.length;
        if (balance > 0 && classOf != null) {
            Map<Integer, List<Integer>> byClass = new TreeMap<>();
            for (int i = 0; i < classOf.length; i++) {
                byClass.computeIfAbsent(classOf[i], c -> new ArrayList<>()).add(i);
            }
            members = new int[byClass.size()][];
            perEpoch = new int[byClass.size()];
            int largest = byClass.values().stream().mapToInt(List::size).max().orElse(0);
            int least = (int) Math.ceil(balance * largest);
            int c = 0;
            epochSize = 0;
            for (List<Integer> m : byClass.values()) {
                members[c] = m.stream().mapToInt(Integer::intValue).toArray();
                perEpoch[c] = Math.max(m.size(), least);
                epochSize += perEpoch[c];
                c++;
            }
        } else {
            members = null;
            perEpoch = null;
        }
        this.batchesPerEpoch = (epochSize + batchSize - 1) / batchSize;
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
        Integer[] order = members == null ? identity(lengths.length) : balanced(random);
        int n = order.length;
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

    private static Integer[] identity(int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** The epoch's multiset: each class's samples whole as often as they fit, the rest a draw without repeats. */
    private Integer[] balanced(Random random) {
        List<Integer> items = new ArrayList<>();
        for (int c = 0; c < members.length; c++) {
            int[] m = members[c];
            for (int copy = 0; copy < perEpoch[c] / m.length; copy++) {
                for (int i : m) {
                    items.add(i);
                }
            }
            int rest = perEpoch[c] % m.length;
            if (rest > 0) {
                Integer[] drawn = identity(m.length);
                shuffle(drawn, random);
                for (int k = 0; k < rest; k++) {
                    items.add(m[drawn[k]]);
                }
            }
        }
        return items.toArray(new Integer[0]);
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
