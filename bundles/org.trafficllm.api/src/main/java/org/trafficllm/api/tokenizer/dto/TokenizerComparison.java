package org.trafficllm.api.tokenizer.dto;

import org.osgi.dto.DTO;

/** Two tokenizers over the same texts. */
public class TokenizerComparison extends DTO {
    public TokenCountStatistics baseline;
    public TokenCountStatistics candidate;
    /** Baseline tokens divided by candidate tokens, over the whole corpus: 2.0 is half as many. */
    public double ratio;
}
