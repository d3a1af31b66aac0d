package org.trafficllm.api.task;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;

/**
 * The built-in tasks and their prompt templates. Every call returns fresh copies
 * that the caller may change.
 */
@ProviderType
public interface TaskCatalog {
    /** Placeholder for the word {@code packet} or {@code flow}. */
    String GRANULARITY = "granularity";
    /** Placeholder for the rendered traffic text. */
    String TRAFFIC = "traffic";
    /** Placeholder for a class name. */
    String LABEL = "label";
    /** Placeholder for a natural-language request (router). */
    String INSTRUCTION = "instruction";

    /** Every built-in task: detection tasks first, then generation tasks, then the router. */
    List<TaskDescriptorDTO> tasks();

    /** The task with this id (e.g. {@code MTD}) or name (e.g. {@code Malware Traffic Detection}), ignoring case. */
    Optional<TaskDescriptorDTO> task(String idOrName);

    /**
     * The task with this id at this granularity: the descriptor with its
     * {@code granularity}, {@code renderer} and templates set for that granularity.
     */
    Optional<TaskDescriptorDTO> task(String idOrName, Granularity granularity);

    /**
     * Fills {@code template}: each {@code {name}} whose name is a key of
     * {@code fields} becomes its value, in one pass, so values are never filled
     * again; other braces stay.
     */
    String fill(String template, Map<String, String> fields);
}
