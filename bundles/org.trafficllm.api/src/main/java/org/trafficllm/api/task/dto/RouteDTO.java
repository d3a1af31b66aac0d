package org.trafficllm.api.task.dto;

import java.util.Map;

import org.osgi.dto.DTO;

/** Stage 1's answer: the task an instruction asks for, chosen among the tasks serving now. */
public class RouteDTO extends DTO {
    public String instruction;
    /** Id of the chosen task. */
    public String task;
    /** Name of the chosen task, as the router wrote it. */
    public String taskName;
    /** Probability of the chosen name. */
    public double score;
    /** Probability of every candidate task name; sums to 1. */
    public Map<String, Double> probabilities;
    /** Id and version of the router task that decided. */
    public String router;
    public String routerVersion;
}
