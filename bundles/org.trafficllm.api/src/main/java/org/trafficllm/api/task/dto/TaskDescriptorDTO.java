package org.trafficllm.api.task.dto;

import java.util.List;

import org.osgi.dto.DTO;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.text.MaskedIdentifier;

/**
 * One task: what it is called, what it does, what it reads and how it is asked.
 * The same object is what a task bundle carries as {@code task.json}.
 *
 * <p>Templates are plain text with placeholders in braces, filled by
 * {@link org.trafficllm.api.task.TaskCatalog#fill(String, java.util.Map)}:
 * {@code {granularity}} (the word {@code packet} or {@code flow}), {@code {traffic}}
 * (the rendered traffic text), {@code {label}} (a class name) and
 * {@code {instruction}} (a user's natural-language request, for the router). Any
 * other brace stays as it is.
 */
public class TaskDescriptorDTO extends DTO {
    /** Short id, e.g. {@code MTD}; TrafficLLM's abbreviation for built-in tasks. */
    public String id;
    /** Full name, e.g. {@code Malware Traffic Detection}; the router answers with it. */
    public String name;
    /** Detection, generation or router. */
    public TaskKind kind;
    /** The granularity the task reads or produces. */
    public Granularity granularity;
    /**
     * The traffic representation of a sample: a text format name of the text API
     * ({@code traffic-words}, {@code flow-bytes}, {@code http-request}), or
     * {@code payload-bytes} (session payload hex, for corpora without headers), or
     * {@code instruction} for the router.
     */
    public String renderer;
    /**
     * The classes, in label-index order: what a detection task may answer, what a
     * generation task can be asked for, or the task names a router chooses among.
     * Empty when the set comes from the data (e.g. an app classification corpus).
     */
    public List<String> labels;
    /** The instruction: what the model is given. */
    public String promptTemplate;
    /** The expected answer: what the model is trained to reply. */
    public String outputTemplate;
    /**
     * Where the templates come from: a TrafficLLM file and commit, or a note that
     * TrafficLLM published none and the text is this project's own.
     */
    public String templateSource;
    /**
     * The most tokens the traffic (or, for the router, the instruction) takes in a
     * prompt, as the task's adapter was trained; 0 for no budget. How prompts are cut
     * to it: {@code org.trafficllm.api.tuning.PromptFormat}.
     */
    public int trafficTokens;
    /**
     * The identifiers masked in the traffic text the task's adapter was trained on; serving
     * renders captures the same way, since an adapter trained on {@code IP_1} has never seen
     * a real address. Null means all of them (the dataset builder's default); empty, none.
     */
    public List<MaskedIdentifier> mask;
}
