package org.trafficllm.api.dataset;

/** How samples are divided between the train and the test file. */
public enum SplitMode {
    /**
     * By group: a flow, or a set of identical samples, lands whole on one side, so a
     * test sample never has its flow or its twin in training. The default.
     */
    GROUP,
    /**
     * Sample by sample, as TrafficLLM's own preprocessing did: packets of one flow and
     * identical samples may land on both sides. For the ablation that measures that leak.
     */
    SAMPLE
}
