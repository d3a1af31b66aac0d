package org.trafficllm.baseline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the dataset builder wrote beside a train file {@code N_T_G_train.jsonl}: the
 * label file {@code N_label.json} (label → index, TrafficLLM's format) and the build
 * report {@code N_T_G_report.json}, from which the run's dataset, split and masking
 * are described. Either may be absent (files made elsewhere): the labels then come
 * from the train file and the description stays unknown.
 */
final class DatasetDescription {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<String> labels;
    final Path labelFile;
    final String dataset;
    final String split;
    final String masking;
    final String task;

    private DatasetDescription(List<String> labels, Path labelFile, String dataset, String split, String masking,
            String task) {
        this.labels = labels;
        this.labelFile = labelFile;
        this.dataset = dataset;
        this.split = split;
        this.masking = masking;
        this.task = task;
    }

    static DatasetDescription of(Path train, Path labelFile) throws BaselineException {
        String name = train.getFileName().toString();
        String stem = name.endsWith("_train.jsonl") ? name.substring(0, name.length() - "_train.jsonl".length())
                : null;
        Path folder = train.toAbsolutePath().getParent();
        JsonNode report = null;
        if (stem != null && Files.isRegularFile(folder.resolve(stem + "_report.json"))) {
            report = read(folder.resolve(stem + "_report.json"));
        }
        if (labelFile == null && report != null && report.hasNonNull("labelFile")) {
            Path named = folder.resolve(Path.of(report.get("labelFile").asText()).getFileName());
            labelFile = Files.isRegularFile(named) ? named : null;
        }
        if (labelFile == null && stem != null) {
            labelFile = labelFileBeside(folder, stem);
        }
        List<String> labels = labelFile == null ? null : labels(labelFile);
        if (report == null) {
            return new DatasetDescription(labels, labelFile, null, null, null, null);
        }
        String dataset = text(report, "datasetName") + " (" + text(report, "layout") + ", "
                + text(report, "granularity").toLowerCase(Locale.ROOT) + ", " + text(report, "renderer")
                + (labels == null ? "" : ", " + labels.size() + " classes") + ")";
        String split = text(report, "split").toLowerCase(Locale.ROOT) + " split, seed " + text(report, "seed")
                + ", train ratio " + text(report, "trainRatio") + ", cap per class " + text(report, "capPerClass")
                + (report.path("deduplicated").asBoolean() ? ", deduplicated" : "");
        String masking = report.path("masked").asBoolean() ? "masked (MAC, IP, port, time)" : "not masked";
        return new DatasetDescription(labels, labelFile, dataset, split, masking, text(report, "task"));
    }

    /** The longest {@code N_label.json} in the folder whose {@code N_} starts the train file's stem. */
    private static Path labelFileBeside(Path folder, String stem) {
        String best = null;
        for (int cut = stem.indexOf('_'); cut > 0; cut = stem.indexOf('_', cut + 1)) {
            if (Files.isRegularFile(folder.resolve(stem.substring(0, cut) + "_label.json"))) {
                best = stem.substring(0, cut);
            }
        }
        return best == null ? null : folder.resolve(best + "_label.json");
    }

    /** TrafficLLM's label file: a JSON object label → index; returned in index order. */
    static List<String> labels(Path file) throws BaselineException {
        JsonNode node = read(file);
        if (!node.isObject() || node.size() == 0) {
            throw new BaselineException(file + ": not a label file (a JSON object of label: index)");
        }
        Map<Integer, String> byIndex = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().canConvertToInt()) {
                throw new BaselineException(file + ": label '" + entry.getKey() + "' has no integer index");
            }
            String previous = byIndex.put(entry.getValue().asInt(), entry.getKey());
            if (previous != null) {
                throw new BaselineException(file + ": labels '" + previous + "' and '" + entry.getKey()
                        + "' share index " + entry.getValue().asInt());
            }
        }
        return new ArrayList<>(byIndex.values());
    }

    private static JsonNode read(Path file) throws BaselineException {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new BaselineException(file + ": cannot read: " + TreeEnsemble.firstLine(e.getMessage()), e);
        }
    }

    private static String text(JsonNode report, String field) {
        JsonNode value = report.get(field);
        return value == null || value.isNull() ? "?" : value.asText();
    }
}
