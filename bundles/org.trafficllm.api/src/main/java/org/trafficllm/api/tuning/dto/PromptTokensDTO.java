package org.trafficllm.api.tuning.dto;

import org.osgi.dto.DTO;

/** The tokens of a prompt (and its answer), and how much of the variable part they kept. */
public class PromptTokensDTO extends DTO {
    /** Prompt tokens, followed by the answer's tokens and EOS when the prompt had an answer. */
    public int[] tokenIds;
    /** Tokens of the prompt alone: the answer starts at this index. */
    public int promptTokens;
    /** Tokens of the variable part that were kept. */
    public int variableTokens;
    /** Tokens of the variable part that were cut off its end. */
    public int variableTokensCut;
}
