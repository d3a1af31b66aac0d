package org.trafficllm.dataset.impl;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.LayoutContext;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;

/**
 * The layout's side of one build: receives samples, renames classes, drops exact
 * duplicates, keeps a seeded uniform sample of at most the cap per class (reservoir
 * sampling, so memory stays bounded by the cap), and counts what was left out.
 */
final class SampleCollector implements LayoutContext {
    static final int MAX_SKIP_MESSAGES = 50;

    /** One kept sample; {@code order} is its position in the layout's delivery. */
    record Kept(long order, String group, String text) {
    }

    /** The samples of one class. */
    static final class ClassBucket {
        final String label;
        long read;
        long duplicates;
        long offered;
        final List<Kept> kept = new ArrayList<>();
        private final Random random;

        ClassBucket(String label, long seed) {
            this.label = label;
            this.random = new Random(seed * 31 + label.hashCode());
        }

        void offer(Kept sample, int cap) {
            offered++;
            if (cap <= 0 || kept.size() < cap) {
                kept.add(sample);
            } else {
                int slot = random.nextInt((int) Math.min(offered, Integer.MAX_VALUE));
                if (slot < cap) {
                    kept.set(slot, sample);
                }
            }
        }

        long capped() {
            return offered - kept.size();
        }
    }

    private final Path input;
    private final Granularity granularity;
    private final TaskKind kind;
    private final String renderer;
    private final boolean mask;
    private final Map<String, String> options;
    private final Map<String, String> labelMap;
    private final boolean dedup;
    private final int cap;
    private final long seed;
    private final ProgressMeter meter;

    private final Map<String, ClassBucket> classes = new HashMap<>();
    private final List<String> announced = new ArrayList<>();
    private final Set<Digest> seen = new HashSet<>();
    private final MessageDigest md5;
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private final Map<String, Long> dropped = new LinkedHashMap<>();
    private final List<String> skipMessages = new ArrayList<>();
    private long order;

    SampleCollector(Path input, Granularity granularity, TaskKind kind, String renderer, boolean mask,
            Map<String, String> options, Map<String, String> labelMap, boolean dedup, int cap, long seed,
            ProgressMeter meter) {
        this.input = input;
        this.granularity = granularity;
        this.kind = kind;
        this.renderer = renderer;
        this.mask = mask;
        this.options = Map.copyOf(options);
        this.labelMap = Map.copyOf(labelMap);
        this.dedup = dedup;
        this.cap = cap;
        this.seed = seed;
        this.meter = meter;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this Java runtime", e);
        }
    }

    @Override
    public Path input() {
        return input;
    }

    @Override
    public Granularity granularity() {
        return granularity;
    }

    @Override
    public TaskKind kind() {
        return kind;
    }

    @Override
    public String renderer() {
        return renderer;
    }

    @Override
    public boolean mask() {
        return mask;
    }

    @Override
    public Map<String, String> options() {
        return options;
    }

    @Override
    public void labels(List<String> labels) {
        for (String label : labels) {
            String mapped = labelMap.getOrDefault(label, label);
            if (!announced.contains(mapped)) {
                announced.add(mapped);
            }
        }
    }

    @Override
    public void sample(String label, String group, String text) throws DatasetException {
        if (Thread.currentThread().isInterrupted()) {
            throw new DatasetException(input + ": build cancelled after " + order + " samples");
        }
        String mapped = labelMap.getOrDefault(label, label);
        ClassBucket bucket = classes.computeIfAbsent(mapped, name -> new ClassBucket(name, seed));
        bucket.read++;
        if (dedup && !seen.add(digest(mapped, text))) {
            bucket.duplicates++;
            return;
        }
        bucket.offer(new Kept(order++, group, text), cap);
    }

    @Override
    public void skip(String where, String reason) {
        int colon = reason.indexOf(": ");
        String key = colon > 0 ? reason.substring(0, colon) : reason;
        skipped.merge(key, 1L, Long::sum);
        if (skipMessages.size() < MAX_SKIP_MESSAGES) {
            skipMessages.add(where + ": " + reason);
        }
    }

    @Override
    public void drop(String reason) {
        dropped.merge(reason, 1L, Long::sum);
    }

    @Override
    public void progress(long done, long total, String unit) {
        meter.update(done, total, unit, samplesRead());
    }

    long samplesRead() {
        long read = 0;
        for (ClassBucket bucket : classes.values()) {
            read += bucket.read;
        }
        return read;
    }

    /** The classes in label-index order: announced ones first, then the rest sorted. */
    List<ClassBucket> classesInOrder() {
        Set<String> rest = new TreeSet<>(classes.keySet());
        List<ClassBucket> ordered = new ArrayList<>();
        for (String label : announced) {
            ordered.add(classes.computeIfAbsent(label, name -> new ClassBucket(name, seed)));
            rest.remove(label);
        }
        for (String label : rest) {
            ordered.add(classes.get(label));
        }
        for (ClassBucket bucket : ordered) {
            bucket.kept.sort(Comparator.comparingLong(Kept::order));
        }
        return ordered;
    }

    Map<String, Long> skipped() {
        return skipped;
    }

    Map<String, Long> dropped() {
        return dropped;
    }

    List<String> skipMessages() {
        return skipMessages;
    }

    private Digest digest(String label, String text) {
        md5.update(label.getBytes(StandardCharsets.UTF_8));
        md5.update((byte) 0);
        byte[] hash = md5.digest(text.getBytes(StandardCharsets.UTF_8));
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (hash[i] & 0xff);
            low = low << 8 | (hash[i + 8] & 0xff);
        }
        return new Digest(high, low);
    }

    private record Digest(long high, long low) {
    }
}
