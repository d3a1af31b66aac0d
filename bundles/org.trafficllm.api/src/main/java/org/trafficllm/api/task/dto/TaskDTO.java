package org.trafficllm.api.task.dto;

import java.util.List;

import org.osgi.dto.DTO;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.TaskState;
import org.trafficllm.api.text.MaskedIdentifier;

/** One installed task as the registry lists it: what it is, which version answers, and how it stands. */
public class TaskDTO extends DTO {
    /** Task id from {@code task.json}, e.g. {@code MTD}. */
    public String id;
    /** Full name from {@code task.json}; the router answers with it. */
    public String name;
    public TaskKind kind;
    public Granularity granularity;
    /** Text format the task reads, e.g. {@code traffic-words}. */
    public String renderer;
    /** Labels from {@code task.json}. */
    public List<String> labels;
    /**
     * The identifiers masked when a capture is rendered for this task, as its adapter was
     * trained; null, as in the task descriptor, means all of them.
     */
    public List<MaskedIdentifier> mask;
    /** Version answering now; when none answers, the installed bundle's version. */
    public String version;
    public TaskState state;
    /**
     * Why the last version tried was refused or cannot resolve, in one line; null
     * when nothing was refused since the serving version was loaded.
     */
    public String refusal;
    /** The installed bundle: its id, symbolic name and version (which may be a refused update). */
    public long bundleId;
    public String symbolicName;
    public String bundleVersion;
    /** Base model name and version the adapter runs on (the required ones until wired). */
    public String baseModel;
    public String baseModelVersion;
    /** Test-split F1 from {@code metrics.json} (macro, or the only one given); null when it reports none. */
    public Double testF1;
    /** PEFT type of the serving adapter ({@code LORA}, {@code PREFIX_TUNING}); null when none serves. */
    public String peftType;
    /** Bytes the serving adapter occupies in memory; 0 when none serves. */
    public long adapterBytes;
    /** Distinguished name of the signer of the serving version; null when unsigned. */
    public String signer;
    /** Versions kept for rollback, oldest first, the serving one last. */
    public List<String> keptVersions;
}
