package org.trafficllm.api.model;

import java.util.List;

/** A prompt whose continuation must be one of the given labels. */
public class ClassificationRequest {
    public String adapterId;
    public String prompt;
    public int[] promptTokenIds;
    /** The candidate labels, as the model writes them after the prompt. */
    public List<String> labels;

    public ClassificationRequest() {
    }

    public ClassificationRequest(String adapterId, String prompt, List<String> labels) {
        this.adapterId = adapterId;
        this.prompt = prompt;
        this.labels = labels;
    }
}
