package org.trafficllm.api.tuning.dto;

import org.osgi.dto.DTO;

/** Tokens per text of the natural-language base tokenizer and of its traffic extension, on held-out texts of one kind. */
public class TokenizerRatioDTO extends DTO {
    /** What the texts are, e.g. {@code flow-bytes (ndpi_detection_flow_test.jsonl)}. */
    public String corpus;
    public long texts;
    public double baseTokensPerText;
    public double trafficTokensPerText;
    /** Base tokens divided by extended tokens: 2.0 is half as many. */
    public double ratio;
}
