package org.trafficllm.api.dataset.dto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.dto.DTO;

/** What the stage-1 build read, corrected, kept and wrote. */
public class InstructionSetResultDTO extends DTO {
    /** Rows read (non-blank lines). */
    public long rows;
    /** Lines left out as malformed, with their one-line messages in {@link #skipMessages}. */
    public long skipped;
    /** The first one-line messages of left-out lines. */
    public List<String> skipMessages = new ArrayList<>();
    /** The correction rules and what each changed; empty when corrections were off. */
    public List<CorrectionDTO> corrections = new ArrayList<>();
    /** Rows dropped as exact repeats (same instruction, same task). */
    public long duplicatesRemoved;
    /** Instructions that appear under more than one task after correction. */
    public long conflictingInstructions;
    /** Per task name, in label-index order: rows read, train and test counts. */
    public List<ClassCountDTO> tasks = new ArrayList<>();
    /** Task name → task id, e.g. {@code Web Attack Detection → WAD}. */
    public Map<String, String> taskIds = new LinkedHashMap<>();
    /** Rows in the train file. */
    public long train;
    /** Rows in the test file. */
    public long test;
    /** The train file. */
    public String trainFile;
    /** The test file. */
    public String testFile;
    /** Task name → label index. */
    public String labelFile;
    /** Task name → task id (TrafficLLM's {@code config.json} "tasks" map). */
    public String taskFile;
    /** This result as JSON, written last. */
    public String reportFile;
    /** Wall time in milliseconds. */
    public long elapsedMillis;
}
