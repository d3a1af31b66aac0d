package org.trafficllm.api.task.dto;

import java.util.Map;

import org.osgi.dto.DTO;
import org.trafficllm.api.task.Granularity;

/** The summary of one capture analysis. */
public class DetectionReportDTO extends DTO {
    public String capture;
    /** Id and name of the task that classified. */
    public String task;
    public String taskName;
    public Granularity granularity;
    /** The router's decision when the request asked a question; null otherwise. */
    public RouteDTO route;
    /** Frames read from the capture. */
    public long packets;
    /** Packets or flows classified. */
    public long samples;
    /** Packets or flows the renderer produced no text for (e.g. neither TCP nor UDP). */
    public long skipped;
    /** Label to number of samples, in the task's label order. */
    public Map<String, Long> labels;
    /** Label to mean probability over the samples given that label. */
    public Map<String, Double> meanScores;
    /** Task version to number of samples it answered (more than one when an update happened meanwhile). */
    public Map<String, Long> versions;
    /** The JSON Lines file written, or null. */
    public String out;
    public long elapsedMillis;
}
