package org.trafficllm.tuning.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;

/**
 * What a tuning job learns: the task descriptor, its label set in order, and how the
 * dataset is described in the metrics (dataset, split, masking), found beside the
 * train file where the dataset builder wrote them.
 */
final class TaskData {
    static final ObjectMapper TASK_JSON = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    final TaskDescriptorDTO task;
    final List<String> labels;
    final String labelSource;
    final String dataset;
    final String split;
    final String masking;

    private TaskData(TaskDescriptorDTO task, List<String> labels, String labelSource, String dataset, String split,
            String masking) {
        this.task = task;
        this.labels = labels;
        this.labelSource = labelSource;
        this.dataset = dataset;
        this.split = split;
        this.masking = masking;
    }

    /** The stem shared by the builder's files: {@code N_T_G} of {@code N_T_G_train.jsonl} or {@code N_T_G_test.jsonl}. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        for (String end : new String[] {"_train.jsonl", "_test.jsonl", "_train.json", "_test.json", ".jsonl", ".json"}) {
            if (name.endsWith(end)) {
                return name.substring(0, name.length() - end.length());
            }
        }
        return name;
    }

    static TaskData resolve(TuningRequestDTO request, Path train, List<DatasetFile.Line> trainLines,
            TaskCatalog catalog) throws TuningException {
        Path folder = train.toAbsolutePath().getParent();
        String stem = stem(train);
        JsonNode report = optionalJson(folder.resolve(stem + "_report.json"));
        TaskDescriptorDTO task = descriptor(request, folder.resolve(stem + "_task.json"), catalog);
        List<String> labels;
        String source;
        if (request.labels != null && !request.labels.isBlank()) {
            source = request.labels;
            labels = labelFile(Paths.get(request.labels));
        } else if (task.kind != TaskKind.GENERATION && task.labels != null && !task.labels.isEmpty()) {
            source = "task descriptor";
            labels = new ArrayList<>(task.labels);
        } else if (report != null && report.path("labelFile").isTextual()
                && Files.isRegularFile(Paths.get(report.get("labelFile").asText()))) {
            source = report.get("labelFile").asText();
            labels = labelFile(Paths.get(source));
        } else {
            source = "train answers, sorted";
            Set<String> seen = new TreeSet<>();
            for (DatasetFile.Line l : trainLines) {
                seen.add(l.output());
            }
            labels = new ArrayList<>(seen);
        }
        if (task.kind != TaskKind.GENERATION && labels.isEmpty()) {
            throw new TuningException(source + ": the label set is empty");
        }
        task.labels = labels;
        String[] described = describe(report, stem, request.dataset, request.split, request.masking);
        return new TaskData(task, labels, source, described[0], described[1], described[2]);
    }

    /**
     * Dataset, split and masking of a dataset file for the metrics: what the request says,
     * else the dataset builder's report beside the file ({@code <stem>_report.json}).
     */
    static String[] describe(Path dataFile, String dataset, String split, String masking) throws TuningException {
        Path folder = dataFile.toAbsolutePath().getParent();
        String stem = stem(dataFile);
        return describe(optionalJson(folder.resolve(stem + "_report.json")), stem, dataset, split, masking);
    }

    private static String[] describe(JsonNode report, String stem, String dataset, String split, String masking) {
        if (report != null) {
            if (dataset == null) {
                dataset = report.path("datasetName").isTextual() ? report.get("datasetName").asText()
                        + (report.path("layout").isTextual() ? " (layout " + report.get("layout").asText() + ")" : "")
                        : "TrafficLLM instruction set (corrected)";
            }
            if (split == null) {
                split = report.path("split").isTextual()
                        ? report.get("split").asText().toLowerCase() + " split (seed " + report.path("seed").asLong()
                                + ", train ratio " + report.path("trainRatio").asDouble() + ")"
                        : "identical instructions on one side (seed " + report.path("seed").asLong(42) + ")";
            }
            if (masking == null) {
                masking = report.has("masked") ? (report.get("masked").asBoolean() ? "MAC, IP, PORT, TIME" : "none")
                        : "none (natural-language instructions)";
            }
        }
        return new String[] {dataset == null ? stem : dataset, split, masking};
    }

    private static TaskDescriptorDTO descriptor(TuningRequestDTO request, Path besideTrain, TaskCatalog catalog)
            throws TuningException {
        TaskDescriptorDTO task;
        if (request.taskFile != null && !request.taskFile.isBlank()) {
            task = readTask(Paths.get(request.taskFile));
        } else if (request.stage == 2 && Files.isRegularFile(besideTrain)) {
            task = readTask(besideTrain);
        } else {
            String id = request.task != null && !request.task.isBlank() ? request.task
                    : request.stage == 1 ? "NLP" : null;
            if (id == null) {
                throw new TuningException("no task: name one (--task) or give the dataset's task file");
            }
            task = catalog.task(id).orElseThrow(() -> new TuningException("unknown task '" + id
                    + "': not in the catalog and no task file given"));
        }
        if (request.task != null && !request.task.isBlank() && !request.task.equalsIgnoreCase(task.id)
                && !request.task.equalsIgnoreCase(task.name)) {
            throw new TuningException("the task file is for task " + task.id + ", the request names " + request.task);
        }
        if (request.stage == 1 && task.kind != TaskKind.ROUTER) {
            throw new TuningException("stage 1 trains the router; task " + task.id + " is a " + task.kind.word() + " task");
        }
        if (request.stage == 2 && task.kind == TaskKind.ROUTER) {
            throw new TuningException("task " + task.id + " is the router: train it with stage 1");
        }
        if (task.kind == null || task.promptTemplate == null) {
            throw new TuningException("task " + task.id + ": kind and promptTemplate are needed");
        }
        return task;
    }

    static TaskDescriptorDTO readTask(Path file) throws TuningException {
        try {
            TaskDescriptorDTO t = TASK_JSON.readValue(file.toFile(), TaskDescriptorDTO.class);
            if (t == null || t.id == null) {
                throw new TuningException(file + ": not a task descriptor (no id)");
            }
            return t;
        } catch (IOException e) {
            throw new TuningException(file + ": not a task descriptor: " + DatasetFile.firstLine(e.getMessage()), e);
        }
    }

    /** A TrafficLLM label file, {@code {"label": index, …}}, in index order. */
    static List<String> labelFile(Path file) throws TuningException {
        if (!Files.isRegularFile(file)) {
            throw new TuningException(file + ": no such file");
        }
        JsonNode node = CheckpointStore.readJson(file);
        if (!node.isObject()) {
            throw new TuningException(file + ": not a label file (a JSON object of label to index)");
        }
        Map<Integer, String> byIndex = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt()) {
                throw new TuningException(file + ": label '" + e.getKey() + "' has no integer index");
            }
            String previous = byIndex.put(e.getValue().asInt(), e.getKey());
            if (previous != null) {
                throw new TuningException(file + ": labels '" + previous + "' and '" + e.getKey() + "' share index "
                        + e.getValue().asInt());
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(byIndex.values()));
    }

    private static JsonNode optionalJson(Path file) throws TuningException {
        return Files.isRegularFile(file) ? CheckpointStore.readJson(file) : null;
    }

    /** Counts of each label in order of the label set, for messages. */
    static Map<String, Integer> counts(List<String> answers) {
        Map<String, Integer> c = new LinkedHashMap<>();
        for (String a : answers) {
            c.merge(a, 1, Integer::sum);
        }
        return c;
    }
}
