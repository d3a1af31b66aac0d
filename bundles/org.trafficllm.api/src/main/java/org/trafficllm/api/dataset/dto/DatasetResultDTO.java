package org.trafficllm.api.dataset.dto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.dto.DTO;
import org.trafficllm.api.dataset.SplitMode;
import org.trafficllm.api.task.Granularity;

/** What a dataset build read, kept, left out and wrote. */
public class DatasetResultDTO extends DTO {
    /** The dataset name. */
    public String datasetName;
    /** The layout that read the input. */
    public String layout;
    /** The task id, e.g. {@code MTD}. */
    public String task;
    /** {@code detection} or {@code generation}. */
    public String trafficTask;
    /** Packet or flow samples. */
    public Granularity granularity;
    /** The traffic representation of the samples. */
    public String renderer;
    /** How the split was made. */
    public SplitMode split;
    /** The train share asked for. */
    public double trainRatio;
    /** The seed used. */
    public long seed;
    /** Whether identifiers were masked. */
    public boolean masked;
    /** Whether exact duplicates were dropped. */
    public boolean deduplicated;
    /** The per-class cap, 0 for none. */
    public int capPerClass;

    /** The train file (JSON Lines of {@code instruction}, {@code output}). */
    public String trainFile;
    /** The test file. */
    public String testFile;
    /** The label file (class → index), written for detection tasks. */
    public String labelFile;
    /** The task descriptor of this dataset ({@code task.json} for a task bundle). */
    public String taskFile;
    /** This result as JSON; written last, so its presence marks a complete build. */
    public String reportFile;

    /** Per class, in label-index order. */
    public List<ClassCountDTO> classes = new ArrayList<>();
    /** Samples the layout delivered. */
    public long samplesRead;
    /** Samples dropped as exact duplicates. */
    public long duplicatesRemoved;
    /** Distinct texts that appeared under more than one class. */
    public long conflictingTexts;
    /** Samples dropped by the cap. */
    public long cappedOut;
    /** Groups (flows, sets of identical samples) among the kept samples. */
    public long groups;
    /** Groups in the train file (group split) . */
    public long trainGroups;
    /** Groups in the test file (group split). */
    public long testGroups;
    /** Groups that have samples on both sides (0 for a group split). */
    public long groupsOnBothSides;
    /** Samples written to the train file. */
    public long train;
    /** Samples written to the test file. */
    public long test;
    /** Damaged records left out, by reason. */
    public Map<String, Long> skipped = new LinkedHashMap<>();
    /** Sound records the layout's rules left out (e.g. low-confidence labels), by reason. */
    public Map<String, Long> dropped = new LinkedHashMap<>();
    /** The first one-line messages of left-out records, naming file and record. */
    public List<String> skipMessages = new ArrayList<>();
    /** Wall time of the build in milliseconds. */
    public long elapsedMillis;
}
