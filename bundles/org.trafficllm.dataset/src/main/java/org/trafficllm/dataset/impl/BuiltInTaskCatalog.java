package org.trafficllm.dataset.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * TrafficLLM's fourteen tasks and the stage-1 router, read from {@code tasks.json}
 * beside this class: the templates are data, kept verbatim from TrafficLLM's sources.
 */
@Component(service = TaskCatalog.class)
public class BuiltInTaskCatalog implements TaskCatalog {
    private static final String RESOURCE = "tasks.json";

    private final List<Entry> entries;

    public BuiltInTaskCatalog() {
        entries = load();
    }

    @Override
    public List<TaskDescriptorDTO> tasks() {
        List<TaskDescriptorDTO> tasks = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            tasks.add(entry.descriptor(entry.defaultGranularity));
        }
        return tasks;
    }

    @Override
    public Optional<TaskDescriptorDTO> task(String idOrName) {
        return find(idOrName).map(entry -> entry.descriptor(entry.defaultGranularity));
    }

    @Override
    public Optional<TaskDescriptorDTO> task(String idOrName, Granularity granularity) {
        return find(idOrName).filter(entry -> entry.renderers.containsKey(granularity))
                .map(entry -> entry.descriptor(granularity));
    }

    @Override
    public String fill(String template, Map<String, String> fields) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int close = c == '{' ? template.indexOf('}', i + 1) : -1;
            String value = close > 0 ? fields.get(template.substring(i + 1, close)) : null;
            if (value != null) {
                out.append(value);
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private Optional<Entry> find(String idOrName) {
        if (idOrName == null) {
            return Optional.empty();
        }
        String key = idOrName.trim();
        for (Entry entry : entries) {
            if (entry.id.equalsIgnoreCase(key) || entry.name.equalsIgnoreCase(key)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    private static List<Entry> load() {
        try (InputStream in = BuiltInTaskCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + ": missing from the bundle");
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode node : new ObjectMapper().readTree(in)) {
                entries.add(new Entry(node));
            }
            return List.copyOf(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static final class Entry {
        final String id;
        final String name;
        final TaskKind kind;
        final Granularity defaultGranularity;
        final Map<Granularity, String> renderers = new EnumMap<>(Granularity.class);
        final List<String> labels = new ArrayList<>();
        final String promptTemplate;
        final String outputTemplate;
        final String templateSource;

        Entry(JsonNode node) {
            id = node.path("id").asText();
            name = node.path("name").asText();
            kind = TaskKind.of(node.path("kind").asText());
            defaultGranularity = Granularity.of(node.path("granularity").asText());
            node.path("renderers").fields().forEachRemaining(
                    field -> renderers.put(Granularity.of(field.getKey()), field.getValue().asText()));
            node.path("labels").forEach(label -> labels.add(label.asText()));
            promptTemplate = node.path("promptTemplate").asText();
            outputTemplate = node.path("outputTemplate").asText();
            templateSource = node.path("templateSource").asText();
            if (id.isEmpty() || !renderers.containsKey(defaultGranularity)) {
                throw new IllegalStateException(RESOURCE + ": task '" + id + "' lacks an id or a renderer for "
                        + defaultGranularity.word());
            }
        }

        TaskDescriptorDTO descriptor(Granularity granularity) {
            TaskDescriptorDTO dto = new TaskDescriptorDTO();
            dto.id = id;
            dto.name = name;
            dto.kind = kind;
            dto.granularity = granularity;
            dto.renderer = renderers.get(granularity);
            dto.labels = new ArrayList<>(labels);
            dto.promptTemplate = promptTemplate;
            dto.outputTemplate = outputTemplate;
            dto.templateSource = templateSource;
            return dto;
        }
    }
}
