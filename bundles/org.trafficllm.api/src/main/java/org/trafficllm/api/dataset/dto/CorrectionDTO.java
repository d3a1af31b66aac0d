package org.trafficllm.api.dataset.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** One correction rule of the instruction set and what it changed. */
public class CorrectionDTO extends DTO {
    /** The rule's name, e.g. {@code web-attack}. */
    public String rule;
    /** The task name the rule applies to, as found in the input. */
    public String from;
    /** The task name it assigns. */
    public String to;
    /** What the rule looks for, in words and patterns. */
    public String description;
    /** Rows relabelled. */
    public long rows;
    /** Rows relabelled, counting identical instructions once. */
    public long distinctInstructions;
    /** A few relabelled instructions, in input order. */
    public List<String> examples = new ArrayList<>();
}
