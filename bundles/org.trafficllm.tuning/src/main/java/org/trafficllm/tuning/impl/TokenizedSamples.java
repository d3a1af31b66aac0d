package org.trafficllm.tuning.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.PromptFormat;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.PromptDTO;
import org.trafficllm.api.tuning.dto.PromptTokensDTO;

/**
 * Samples of a dataset file turned into tokens by the prompt format, once, before
 * training: a training sample keeps its prompt and answer tokens, an evaluation sample
 * its classification prompt and expected label.
 */
final class TokenizedSamples {

    /**
     * One tokenized sample. {@code key} groups samples that must stay on one side of the
     * validation hold-out: the builder's split group when the line names one (a flow's
     * packets, identical texts), else the instruction itself.
     */
    record Sample(int line, String key, String label, int[] tokens, int promptTokens, int cut) {
    }

    private TokenizedSamples() {
    }

    /** One dataset line split by the prompt format; {@code prompt.answer} is its expected label. */
    record Parsed(int line, String key, PromptDTO prompt) {
        String label() {
            return prompt.answer;
        }
    }

    /**
     * Splits every line into its prompt parts and checks its answer against {@code labels}.
     *
     * @param labelSet how the label set is named in an error, e.g. {@code the label set of task MTD}
     */
    static List<Parsed> parse(Path file, List<DatasetFile.Line> lines, PromptFormat format, TaskDescriptorDTO task,
            List<String> labels, String labelSet) throws TuningException {
        List<Parsed> out = new ArrayList<>(lines.size());
        java.util.Set<String> known = new java.util.HashSet<>(labels);
        for (DatasetFile.Line l : lines) {
            String where = file + ":" + l.number();
            PromptDTO prompt;
            try {
                prompt = format.parse(task, l.instruction(), l.output());
            } catch (TuningException e) {
                throw new TuningException(where + ": " + e.getMessage(), e);
            }
            if (!known.contains(prompt.answer)) {
                throw new TuningException(where + ": answer '" + prompt.answer + "' is not in " + labelSet + " "
                        + labels);
            }
            out.add(new Parsed(l.number(), l.group() != null ? "\u0000group " + l.group() : l.instruction(), prompt));
        }
        return out;
    }

    /**
     * @param training true: prompt, answer and EOS; false: the classification prompt alone
     */
    static List<Sample> tokenize(Path file, List<DatasetFile.Line> lines, PromptFormat format, TaskDescriptorDTO task,
            List<String> labels, BaseModel model, int trafficTokens, int reserved, boolean training)
            throws TuningException {
        List<Parsed> parsed = parse(file, lines, format, task, labels, "the label set of task " + task.id);
        if (!training) {
            return classification(file, parsed, format, model, trafficTokens, reserved, labels);
        }
        List<Sample> out = new ArrayList<>(parsed.size());
        for (Parsed p : parsed) {
            PromptTokensDTO t;
            try {
                t = format.tokens(model, p.prompt(), trafficTokens, reserved);
            } catch (ModelException e) {
                throw new TuningException(file + ":" + p.line() + ": " + e.getMessage(), e);
            }
            out.add(new Sample(p.line(), p.key(), p.label(), t.tokenIds, t.promptTokens, t.variableTokensCut));
        }
        return out;
    }

    /**
     * Classification prompts of parsed lines: the prompt alone, leaving room for the
     * longest of {@code answers} (the labels the model chooses among) and EOS.
     */
    static List<Sample> classification(Path file, List<Parsed> parsed, PromptFormat format, BaseModel model,
            int trafficTokens, int reserved, List<String> answers) throws TuningException {
        List<Sample> out = new ArrayList<>(parsed.size());
        for (Parsed p : parsed) {
            PromptTokensDTO t;
            try {
                t = format.classificationTokens(model, p.prompt(), trafficTokens, reserved, answers);
            } catch (ModelException e) {
                throw new TuningException(file + ":" + p.line() + ": " + e.getMessage(), e);
            }
            out.add(new Sample(p.line(), p.key(), p.label(), t.tokenIds, t.promptTokens, t.variableTokensCut));
        }
        return out;
    }

    /** A seeded draw of at most {@code limit} samples, keeping each label's share; in file order. */
    static List<Sample> draw(List<Sample> samples, int limit, long seed) {
        return draw(samples, Sample::label, limit, seed);
    }

    /**
     * A seeded draw of {@code limit} items (all of them when there are fewer), keeping
     * each label's share: every label gets the whole part of its share, at least one
     * item while the limit allows, and the items left go to the largest remainders; in
     * their order.
     */
    static <T> List<T> draw(List<T> samples, Function<T, String> labelOf, int limit, long seed) {
        if (limit <= 0 || samples.size() <= limit) {
            return samples;
        }
        Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            byLabel.computeIfAbsent(labelOf.apply(samples.get(i)), k -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> groups = new ArrayList<>(byLabel.values());
        int[] take = quotas(groups, samples.size(), limit);
        Random random = new Random(seed);
        boolean[] keep = new boolean[samples.size()];
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> members = groups.get(g);
            shuffle(members, random);
            for (int i = 0; i < take[g]; i++) {
                keep[members.get(i)] = true;
            }
        }
        List<T> out = new ArrayList<>(limit);
        for (int i = 0; i < samples.size(); i++) {
            if (keep[i]) {
                out.add(samples.get(i));
            }
        }
        return out;
    }

    /** How many of each group a draw of {@code limit} out of {@code total} takes; the quotas sum to {@code limit}. */
    private static int[] quotas(List<List<Integer>> groups, int total, int limit) {
        int n = groups.size();
        int[] take = new int[n];
        double[] remainder = new double[n];
        int given = 0;
        for (int g = 0; g < n; g++) {
            double share = (double) groups.get(g).size() * limit / total;
            take[g] = (int) Math.floor(share);
            remainder[g] = share - take[g];
            given += take[g];
        }
        for (int g = 0; g < n && given < limit; g++) {
            if (take[g] == 0) {
                take[g] = 1;
                remainder[g] = -1;
                given++;
            }
        }
        while (given < limit) {
            int best = -1;
            for (int g = 0; g < n; g++) {
                if (take[g] < groups.get(g).size() && (best < 0 || remainder[g] > remainder[best])) {
                    best = g;
                }
            }
            take[best]++;
            remainder[best] = -1;
            given++;
        }
        return take;
    }

    /**
     * Splits training samples into train and validation: per label, groups (see
     * {@link Sample#key}) are shuffled with the seed and moved to validation until the label's
     * share is reached (a group never on both sides; a label with one group stays in
     * train). Returns {train, validation}.
     */
    static List<List<Sample>> holdOut(List<Sample> samples, double share, int limit, long seed) {
        if (share <= 0 || limit <= 0) {
            return List.of(samples, List.of());
        }
        Map<String, Map<String, List<Integer>>> groupsByLabel = new LinkedHashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            groupsByLabel.computeIfAbsent(s.label(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(s.key(), k -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed ^ 0x5DEECE66DL);
        boolean[] validation = new boolean[samples.size()];
        for (Map<String, List<Integer>> groups : groupsByLabel.values()) {
            if (groups.size() < 2) {
                continue;
            }
            List<List<Integer>> order = new ArrayList<>(groups.values());
            shuffle(order, random);
            int size = order.stream().mapToInt(List::size).sum();
            double want = share * size;
            int moved = 0;
            for (List<Integer> g : order.subList(0, order.size() - 1)) {
                if (moved >= want || Math.abs(moved + g.size() - want) > Math.abs(moved - want)) {
                    continue;
                }
                for (int i : g) {
                    validation[i] = true;
                }
                moved += g.size();
            }
        }
        List<Sample> train = new ArrayList<>();
        List<Sample> held = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            (validation[i] ? held : train).add(samples.get(i));
        }
        return List.of(train, draw(held, limit, seed + 1));
    }

    static int[] lengths(List<Sample> samples) {
        int[] l = new int[samples.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = samples.get(i).tokens().length;
        }
        return l;
    }

    static Map<String, Integer> labelCounts(Collection<Sample> samples) {
        Map<String, Integer> c = new HashMap<>();
        for (Sample s : samples) {
            c.merge(s.label(), 1, Integer::sum);
        }
        return c;
    }

    private static <T> void shuffle(List<T> a, Random random) {
        for (int i = a.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            a.set(i, a.set(j, a.get(i)));
        }
    }
}
