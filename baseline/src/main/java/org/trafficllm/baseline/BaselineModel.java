package org.trafficllm.baseline;

import java.util.List;

/** A classical classifier over traffic texts: trained once on a train file, then asked for a label per test text. */
interface BaselineModel {
    /** Features and hyper-parameters, for the report's notes. */
    String description();

    /**
     * @param classes the labels to learn, in a fixed order; every sample's label is one of them
     */
    void train(List<TrafficSample> samples, List<String> classes, ProgressListener progress) throws BaselineException;

    /** One label of the training classes per sample. */
    List<String> predict(List<TrafficSample> samples, ProgressListener progress) throws BaselineException;
}
