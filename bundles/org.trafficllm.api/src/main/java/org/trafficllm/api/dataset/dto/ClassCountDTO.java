package org.trafficllm.api.dataset.dto;

import org.osgi.dto.DTO;

/** What happened to the samples of one class. */
public class ClassCountDTO extends DTO {
    /** The class name as written in the output. */
    public String label;
    /** Its index in the label file. */
    public int index;
    /** Samples the layout delivered. */
    public long read;
    /** Samples dropped as exact duplicates. */
    public long duplicates;
    /** Samples dropped by the per-class cap. */
    public long capped;
    /** Samples in the train file. */
    public long train;
    /** Samples in the test file. */
    public long test;
}
