package org.trafficllm.api.tuning.dto;

import org.osgi.dto.DTO;

/** A prompt in the parts {@link org.trafficllm.api.tuning.PromptFormat} defines. */
public class PromptDTO extends DTO {
    /** The filled template before the variable part. */
    public String head = "";
    /** The traffic text (or the router's instruction); the only part that may be cut. */
    public String variable = "";
    /** The filled template after the variable part, the answer separator and the answer's lead-in. */
    public String tail = "";
    /** The label (or generated traffic) the model answers with; {@code null} for an inference prompt. */
    public String answer;
    /** The output template's text after the answer, e.g. {@code "."}. */
    public String answerSuffix = "";
}
