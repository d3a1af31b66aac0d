package org.trafficllm.api.task.dto;

import java.util.Map;

import org.osgi.dto.DTO;
import org.trafficllm.api.task.Granularity;

/** The verdict on one packet or flow. */
public class DetectionDTO extends DTO {
    public Granularity granularity;
    /** Packet number in the capture (from 1), or flow id (creation order, from 0). */
    public long index;
    /** Who talks to whom, e.g. {@code TCP 10.0.0.1:51515 -> 192.168.1.20:443}. */
    public String endpoints;
    public String label;
    /** Probability of the label. */
    public double score;
    /** Probability of every label, in label order. */
    public Map<String, Double> probabilities;
    /** Version of the task that answered. */
    public String taskVersion;
    /** True when the traffic text was cut to fit the model's context. */
    public boolean truncated;
}
