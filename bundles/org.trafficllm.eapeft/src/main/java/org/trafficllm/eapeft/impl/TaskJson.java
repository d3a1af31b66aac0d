package org.trafficllm.eapeft.impl;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.text.MaskedIdentifier;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads and checks the JSON files of a task bundle: {@code task.json} (a task
 * descriptor, with kind and granularity in any case, as the dataset builder and
 * TrafficLLM write them) and the test F1 of {@code metrics.json} (an evaluation
 * report of the eval bundle: {@code macro.f1} over {@code samples}).
 */
final class TaskJson {
    static final String TASK_FILE = "task.json";
    static final String CONFIG_FILE = "adapter_config.json";
    static final String WEIGHTS_FILE = "adapter_model.safetensors";
    static final String METRICS_FILE = "metrics.json";
    static final String MODEL_CARD_FILE = "README.md";
    /** The model card a tuning run writes into its adapter directory. */
    static final String TUNING_CARD_FILE = "MODEL.md";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private TaskJson() {
    }

    /** Parses and checks a task descriptor; {@code where} names the file in messages. */
    static TaskDescriptorDTO descriptor(String where, byte[] json) throws TaskException {
        TaskDescriptorDTO task;
        try {
            task = MAPPER.readValue(json, TaskDescriptorDTO.class);
        } catch (IOException e) {
            throw new TaskException(where + ": not a task descriptor: " + firstLine(e.getMessage()), e);
        }
        if (task == null) {
            throw new TaskException(where + ": empty");
        }
        if (task.id == null || !ID.matcher(task.id).matches()) {
            throw new TaskException(where + ": id '" + task.id
                    + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        require(where, "name", task.name);
        if (task.kind == null) {
            throw new TaskException(where + ": kind is missing (detection, generation or router)");
        }
        if (task.granularity == null) {
            throw new TaskException(where + ": granularity is missing (packet or flow)");
        }
        require(where, "renderer", task.renderer);
        require(where, "promptTemplate", task.promptTemplate);
        if (task.labels == null) {
            task.labels = List.of();
        }
        Set<String> seen = new HashSet<>();
        for (String label : task.labels) {
            if (label == null || label.isBlank()) {
                throw new TaskException(where + ": labels contain an empty label");
            }
            if (!seen.add(label)) {
                throw new TaskException(where + ": label '" + label + "' appears twice");
            }
        }
        if (task.mask != null && task.mask.contains(null)) {
            throw new TaskException(where + ": mask holds an empty entry (known: MAC, IP, PORT, TIME)");
        }
        if (task.outputTemplate == null || task.outputTemplate.isBlank()) {
            task.outputTemplate = "{" + TaskCatalog.LABEL + "}";
        }
        switch (task.kind) {
        case DETECTION:
            if (task.labels.isEmpty()) {
                throw new TaskException(where + ": a detection task needs its labels");
            }
            placeholder(where, "promptTemplate", task.promptTemplate, TaskCatalog.TRAFFIC);
            placeholder(where, "outputTemplate", task.outputTemplate, TaskCatalog.LABEL);
            break;
        case GENERATION:
            placeholder(where, "promptTemplate", task.promptTemplate, TaskCatalog.LABEL);
            break;
        case ROUTER:
            placeholder(where, "promptTemplate", task.promptTemplate, TaskCatalog.INSTRUCTION);
            placeholder(where, "outputTemplate", task.outputTemplate, TaskCatalog.LABEL);
            break;
        default:
            throw new TaskException(where + ": unknown kind " + task.kind);
        }
        return task;
    }

    /** The identifiers a task's captures are rendered with: as its descriptor says, all when it says nothing. */
    static List<MaskedIdentifier> mask(TaskDescriptorDTO task) {
        return List.copyOf(renderMask(task.mask));
    }

    /**
     * A descriptor's {@code mask} field as render options take it: null is the dataset
     * builder's default, every identifier masked; empty is none.
     */
    static EnumSet<MaskedIdentifier> renderMask(List<MaskedIdentifier> mask) {
        return mask == null ? EnumSet.allOf(MaskedIdentifier.class)
                : mask.isEmpty() ? EnumSet.noneOf(MaskedIdentifier.class) : EnumSet.copyOf(mask);
    }

    /** Test-split macro F1 of an evaluation report; null when the report has no evaluated samples. */
    static Double testF1(String where, byte[] json) throws TaskException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new TaskException(where + ": not JSON: " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new TaskException(where + ": not a JSON object");
        }
        JsonNode f1 = root.path("macro").path("f1");
        if (!f1.isNumber() || root.path("samples").asLong(0) <= 0) {
            return null;
        }
        return f1.asDouble();
    }

    /** The PEFT type named by {@code adapter_config.json}. */
    static String peftType(String where, byte[] json) throws TaskException {
        try {
            JsonNode type = MAPPER.readTree(json).path("peft_type");
            if (!type.isTextual()) {
                throw new TaskException(where + ": peft_type is missing");
            }
            return type.asText();
        } catch (IOException e) {
            throw new TaskException(where + ": not JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static void require(String where, String field, String value) throws TaskException {
        if (value == null || value.isBlank()) {
            throw new TaskException(where + ": " + field + " is missing");
        }
    }

    private static void placeholder(String where, String field, String template, String name) throws TaskException {
        if (!template.contains("{" + name + "}")) {
            throw new TaskException(where + ": " + field + " lacks the placeholder {" + name + "}");
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
