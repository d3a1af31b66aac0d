package org.trafficllm.api.task;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.task.dto.AskAnswerDTO;
import org.trafficllm.api.task.dto.DetectionReportDTO;
import org.trafficllm.api.task.dto.DetectionRequestDTO;

/** Answers questions about traffic: every packet or flow of a capture, or one TrafficLLM-style prompt. */
@ProviderType
public interface TrafficAnalyzer {

    /**
     * Classifies every packet or flow of a capture with a detection task (named, or
     * picked by the router from a question), in batches. A capture damaged part way
     * is classified up to the damage, written out, and then reported as an error.
     */
    DetectionReportDTO detect(DetectionRequestDTO request, DetectionListener listener) throws TaskException;

    /**
     * Answers a TrafficLLM-style prompt: an instruction, then {@code <packet>:} or
     * {@code <flow>:} and the traffic text. The router picks the task from the
     * instruction; the task answers on the traffic with its own prompt template.
     */
    AskAnswerDTO ask(String prompt) throws TaskException;
}
