package org.trafficllm.api.eval.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/**
 * Counts of expected (rows) against predicted (columns) labels. Rows follow the
 * label set; columns are the label set followed by one more column,
 * {@link #INVALID}, for answers that are not a label.
 */
public class ConfusionMatrixDTO extends DTO {
    /** Name of the extra column. */
    public static final String INVALID = "invalid";

    /** Row names: the label set in its order. */
    public List<String> rows = new ArrayList<>();
    /** Column names: the label set, then {@link #INVALID}. */
    public List<String> columns = new ArrayList<>();
    /** {@code counts.get(row).get(column)}. */
    public List<List<Long>> counts = new ArrayList<>();
}
