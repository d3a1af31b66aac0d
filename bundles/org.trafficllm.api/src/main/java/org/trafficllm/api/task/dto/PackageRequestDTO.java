package org.trafficllm.api.task.dto;

import org.osgi.dto.DTO;

/** What to package into a task bundle, and how to sign it. */
public class PackageRequestDTO extends DTO {
    /** Directory holding {@code adapter_config.json} and {@code adapter_model.safetensors}. */
    public String adapterDirectory;
    /** The task descriptor ({@code task.json}). */
    public String taskJson;
    /** Evaluation results; null takes {@code metrics.json} from the adapter directory. */
    public String metricsJson;
    /** Model card (Markdown); null takes {@code README.md} from the adapter directory, else one is written. */
    public String modelCard;
    /** Name of the base model the adapter was trained on (its {@code trafficllm.basemodel} capability). */
    public String baseModel;
    /**
     * Base model versions accepted: an OSGi version range ({@code [1.0,2.0)}) or a
     * version, which accepts that version up to the next major one.
     */
    public String baseModelVersion;
    /** Bundle version of the task bundle, e.g. {@code 1.2.0}. */
    public String version;
    /** Bundle symbolic name; null for {@code org.trafficllm.task.<id in lower case>}. */
    public String symbolicName;
    /** The jar to write; null for {@code <symbolic name>-<version>.jar} in the working directory. */
    public String out;
    /** Keystore holding the signing key; null leaves the jar unsigned. */
    public String keystore;
    public String storePassword;
    /** Keystore type; null for {@code PKCS12}. */
    public String storeType;
    /** Alias of the signing key; null for the keystore's only key. */
    public String keyAlias;
    /** Password of the key; null for the store password. */
    public String keyPassword;
}
