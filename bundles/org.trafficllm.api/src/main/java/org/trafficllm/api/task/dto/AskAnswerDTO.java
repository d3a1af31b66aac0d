package org.trafficllm.api.task.dto;

import org.osgi.dto.DTO;
import org.trafficllm.api.task.Granularity;

/** The answer to a TrafficLLM-style prompt: the router's choice, then the chosen task's answer. */
public class AskAnswerDTO extends DTO {
    /** The instruction part of the prompt. */
    public String instruction;
    /** {@code packet} or {@code flow}, from the prompt's {@code <packet>:} or {@code <flow>:} marker. */
    public Granularity granularity;
    public RouteDTO route;
    public TaskAnswerDTO answer;
}
