package org.trafficllm.tuning.impl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.PromptFormat;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.PromptDTO;

/**
 * The texts of dataset files, sorted by kind: the traffic of each detection sample
 * under its renderer's name ({@code traffic-words}, {@code flow-bytes},
 * {@code http-request}, {@code payload-bytes}), and natural language: the
 * instructions of files without a task descriptor (the router's instruction set) and
 * the task prompts' fixed text, once per file.
 */
final class CorpusTexts {
    static final String NATURAL = "natural";

    /** Kind → texts, in file order within a kind. */
    final Map<String, List<String>> byKind = new LinkedHashMap<>();
    /** File → kind → texts, for per-file measurements. */
    final Map<Path, Map<String, List<String>>> byFile = new LinkedHashMap<>();

    static CorpusTexts read(List<Path> files, PromptFormat format, int perFile, long seed) throws TuningException {
        CorpusTexts corpus = new CorpusTexts();
        for (Path file : files) {
            corpus.add(file, format, perFile, seed);
        }
        return corpus;
    }

    /** Adds the texts of one more file, at most {@code perFile} of them (0: all). */
    void add(Path file, PromptFormat format, int perFile, long seed) throws TuningException {
        List<DatasetFile.Line> lines = DatasetFile.read(file);
        if (perFile > 0 && lines.size() > perFile) {
            lines = sample(lines, perFile, seed ^ file.getFileName().toString().hashCode());
        }
        Path taskFile = file.toAbsolutePath().getParent().resolve(TaskData.stem(file) + "_task.json");
        Map<String, List<String>> mine = byFile.computeIfAbsent(file, k -> new LinkedHashMap<>());
        if (!Files.isRegularFile(taskFile)) {
            for (DatasetFile.Line l : lines) {
                add(mine, NATURAL, l.instruction());
            }
            return;
        }
        TaskDescriptorDTO task = TaskData.readTask(taskFile);
        if (task.kind != TaskKind.DETECTION) {
            throw new TuningException(file + ": a " + task.kind.word() + " dataset; corpora come from detection datasets "
                    + "and instruction sets");
        }
        String kind = task.renderer == null ? "traffic" : task.renderer;
        Set<String> heads = new LinkedHashSet<>();
        for (DatasetFile.Line l : lines) {
            PromptDTO p;
            try {
                p = format.parse(task, l.instruction(), l.output());
            } catch (TuningException e) {
                throw new TuningException(file + ":" + l.number() + ": " + e.getMessage(), e);
            }
            if (!p.variable.isEmpty()) {
                add(mine, kind, p.variable);
            }
            heads.add(p.head);
        }
        for (String head : heads) {
            add(mine, NATURAL, head);
        }
    }

    private void add(Map<String, List<String>> mine, String kind, String text) {
        mine.computeIfAbsent(kind, k -> new ArrayList<>()).add(text);
        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(text);
    }

    List<String> natural() {
        return byKind.getOrDefault(NATURAL, List.of());
    }

    List<String> traffic() {
        List<String> all = new ArrayList<>();
        byKind.forEach((kind, texts) -> {
            if (!kind.equals(NATURAL)) {
                all.addAll(texts);
            }
        });
        return all;
    }

    long size() {
        return byKind.values().stream().mapToLong(List::size).sum();
    }

    /** A seeded draw of {@code n} lines, in file order. */
    static List<DatasetFile.Line> sample(List<DatasetFile.Line> lines, int n, long seed) {
        Random random = new Random(seed);
        int[] idx = new int[lines.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(idx, n);
        java.util.Arrays.sort(chosen);
        List<DatasetFile.Line> out = new ArrayList<>(n);
        for (int i : chosen) {
            out.add(lines.get(i));
        }
        return out;
    }

    /** One line per text: line breaks inside a text become spaces (corpus files hold one text per line). */
    static String oneLine(String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : text.replace("\r\n", " ").replace('\n', ' ')
                .replace('\r', ' ');
    }
}
