package org.trafficllm.api.eval.dto;

import org.osgi.dto.DTO;

/** Precision, recall and F1 averaged over the classes of the label set. */
public class AverageMetricsDTO extends DTO {
    public double precision;
    public double recall;
    public double f1;
}
