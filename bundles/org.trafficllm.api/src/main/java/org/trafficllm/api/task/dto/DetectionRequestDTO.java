package org.trafficllm.api.task.dto;

import org.osgi.dto.DTO;
import org.trafficllm.api.task.Granularity;

/** What to analyse and how. Exactly one of {@link #task} and {@link #ask} is set. */
public class DetectionRequestDTO extends DTO {
    /** Path of a pcap or pcapng file. */
    public String capture;
    /** Id or name of a detection task. */
    public String task;
    /** A question in plain language; the router picks the detection task. */
    public String ask;
    /** Classify every packet or every flow; null for the task's own granularity. */
    public Granularity granularity;
    /** JSON Lines file receiving one verdict per line; null writes none. */
    public String out;
    /** Samples sent to the model per request. */
    public int batchSize = 16;
}
