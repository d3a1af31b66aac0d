package org.trafficllm.api.task;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.task.dto.RouteDTO;
import org.trafficllm.api.task.dto.TaskAnswerDTO;
import org.trafficllm.api.task.dto.TaskDTO;

/**
 * The tasks installed now, each a data-only task bundle whose adapter is resident
 * over its base model, and the requests that run through them.
 *
 * <p>A task bundle carries {@code task.json} (a
 * {@link org.trafficllm.api.task.dto.TaskDescriptorDTO}), the PEFT adapter files
 * {@code adapter_config.json} and {@code adapter_model.safetensors},
 * {@code metrics.json} and a model card. Its manifest marks it with
 * {@value #TASK_HEADER} (the path of {@code task.json}; the other files sit beside
 * it), lists the SHA-256 of every file in {@value #DIGESTS_HEADER}, and requires its
 * base model's {@code trafficllm.basemodel} capability and this registry's extender
 * capability {@value #EXTENDER}. Every request is answered by the version serving
 * when it starts; an update never leaves a gap.
 */
@ProviderType
public interface TaskRegistry {
    /** Manifest header marking a task bundle; its value is the path of {@code task.json} in the bundle. */
    String TASK_HEADER = "TrafficLLM-Task";
    /**
     * Manifest header listing every file of the task (all entries outside
     * {@code META-INF/}) with its SHA-256: {@code task.json;sha-256=<hex>, …}.
     */
    String DIGESTS_HEADER = "TrafficLLM-Digests";
    /** Name of the {@code osgi.extender} capability task bundles require. */
    String EXTENDER = "trafficllm.task";
    /** Version of the extender capability. */
    String EXTENDER_VERSION = "1.0.0";

    /** Every task bundle known now, by task id, with its state; refused ones included. */
    List<TaskDTO> tasks();

    /** The task with this id or name, ignoring case. */
    Optional<TaskDTO> task(String idOrName);

    /**
     * Classifies traffic texts with a detection task: each text fills the task's
     * prompt template and the answer is constrained to the task's labels.
     *
     * @param granularity the word the prompt uses ({@code packet} or {@code flow}); null for the task's own
     */
    List<TaskAnswerDTO> classify(String task, Granularity granularity, List<String> traffic) throws TaskException;

    /** Generates traffic text of the class {@code label} with a generation task. */
    TaskAnswerDTO generate(String task, Granularity granularity, String label, int maxNewTokens) throws TaskException;

    /**
     * Stage 1: the router task picks the task a natural-language instruction asks
     * for. It decodes under a constraint over the names of the tasks serving now (of
     * kind {@code kind} when not null), so the answer is always one of them.
     */
    RouteDTO route(String instruction, TaskKind kind) throws TaskException;
}
