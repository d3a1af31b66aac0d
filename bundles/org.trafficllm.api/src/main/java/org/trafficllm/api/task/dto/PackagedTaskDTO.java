package org.trafficllm.api.task.dto;

import java.util.Map;

import org.osgi.dto.DTO;

/** A task bundle the packager wrote. */
public class PackagedTaskDTO extends DTO {
    public String jar;
    public String symbolicName;
    public String version;
    /** Task id. */
    public String task;
    /** The {@code Require-Capability} filter on the base model. */
    public String baseModelFilter;
    /** File name to SHA-256 (hex), as listed in the manifest. */
    public Map<String, String> digests;
    /** Distinguished name of the signer; null when unsigned. */
    public String signer;
}
