package org.trafficllm.baseline;

import java.nio.file.Path;

/** One baseline run: the files, the model and its settings, and the run description (null: from the dataset's report). */
public final class BaselineOptions {
    public Path train;
    public Path test;
    public String model;
    public Path out;
    /** The label file; null: the dataset builder's label file beside the train file, else the train labels. */
    public Path labels;
    /** Byte features: total bytes per sample, shared among packet slots. */
    public int bytes = 784;
    /** Trees of the random forest, rounds of boosting. */
    public int trees = 100;
    public int ngramMin = 1;
    public int ngramMax = 4;
    public int hashBits = 20;
    /** Inverse regularisation strength of the linear model. */
    public double cost = 1.0;
    /** XGBoost threads; 1 by default because OpenMP threads spin badly on a shared, busy machine. */
    public int threads = 1;
    public long seed = 42;
    public String dataset;
    public String split;
    public String masking;
    public String task;
    /** The command line, recorded in the report's notes. */
    public String command;
}
