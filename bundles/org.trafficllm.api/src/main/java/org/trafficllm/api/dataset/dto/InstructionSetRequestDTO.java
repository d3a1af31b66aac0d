package org.trafficllm.api.dataset.dto;

import org.osgi.dto.DTO;

/** Building the stage-1 (router) dataset from TrafficLLM's {@code instruction.json}. */
public class InstructionSetRequestDTO extends DTO {
    /** TrafficLLM's instruction set: JSON Lines of {@code instruction}, {@code output} (task name). */
    public String input;
    /** The folder the files are written to; created when missing. */
    public String outputPath;
    /** The file name prefix. */
    public String outputName = "instruction";
    /** Share of each task's instructions held out for the test file, between 0 and 1 exclusive. */
    public double testRatio = 0.1;
    /** Seed of the split and the shuffles. */
    public long seed = 42;
    /** Apply the correction rules for TrafficLLM's mislabelled web-attack and APT rows. */
    public boolean correct = true;
    /** Keep one row of each identical instruction (same text and task). */
    public boolean dedup = true;
}
