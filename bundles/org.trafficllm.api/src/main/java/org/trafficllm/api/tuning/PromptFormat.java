package org.trafficllm.api.tuning;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.dto.PromptDTO;
import org.trafficllm.api.tuning.dto.PromptTokensDTO;

/**
 * The one way a task's sample becomes the tokens a model reads: adapters are trained on
 * exactly these sequences, and inference (classification, generation, routing) must
 * build its prompts here too, or it asks the adapter a question phrased differently
 * from the ones it learned.
 *
 * <h2>Parts</h2>
 * A task descriptor's {@code promptTemplate} holds at most one <em>variable</em>
 * placeholder: {@code {traffic}} for detection, {@code {instruction}} for the router;
 * generation prompts have none (their {@code {label}} is filled in). With
 * {@code {granularity}} replaced by the task's word ({@code packet}, {@code flow}):
 * <ul>
 * <li>{@code head} = the template before the variable placeholder, filled;</li>
 * <li>{@code variable} = the traffic text (or the user's instruction);</li>
 * <li>{@code tail} = the template after the placeholder, filled, then
 * {@link #ANSWER_SEPARATOR}, then the {@code outputTemplate}'s text before its answer
 * placeholder ({@code {label}}; {@code {traffic}} for generation);</li>
 * <li>{@code answer} = the label (or the generated traffic), then
 * {@code answerSuffix} = the {@code outputTemplate}'s text after the placeholder
 * (e.g. {@code "."} for MDD's sentence).</li>
 * </ul>
 *
 * <h2>Tokens</h2>
 * Each part is encoded on its own with {@link BaseModel#encode} (no special tokens;
 * an empty part gives no tokens), and the sequences are concatenated:
 * <pre>
 * prompt = encode(head) ++ cut(encode(variable)) ++ encode(tail)
 * answer = encode(answer) ++ encode(answerSuffix) ++ [eos]
 * </pre>
 * No BOS is added. {@code eos} is the base model's {@code eos_token_id}. A
 * classification request therefore sends the prompt tokens as
 * {@code promptTokenIds} and the task's labels as labels: the model encodes each label
 * on its own and appends it, which is the same sequence the adapter was trained on.
 * Training computes the loss on the answer tokens (including {@code eos}) only.
 *
 * <h2>Cutting the variable text</h2>
 * Only the variable part is ever cut, always from its end (the beginning of a packet
 * or flow carries its headers): first to the task's {@code trafficTokens} budget
 * (0: no budget), then further if the whole sequence would not fit the model's
 * context next to the tokens the caller reserves (a prefix adapter's virtual tokens;
 * at inference also the longest label plus one, or the tokens to generate). The head,
 * the tail and the answer are never cut; when they alone do not fit, that is an
 * error.
 */
@ProviderType
public interface PromptFormat {
    /** Between the prompt and the answer. */
    String ANSWER_SEPARATOR = "\n";

    /**
     * Splits one dataset sample ({@code {"instruction", "output"}} as the dataset builder
     * writes it) into its parts. The traffic starts after the last line of the
     * template's head (e.g. {@code <packet>: }) found in the instruction; the head is the
     * sample's own text up to there.
     *
     * @throws TuningException when the instruction has no traffic marker or the output
     *         does not follow the task's output template
     */
    PromptDTO parse(TaskDescriptorDTO task, String instruction, String output) throws TuningException;

    /**
     * The prompt for inference: the task's templates filled with {@code variable}
     * (the rendered traffic for detection, the user's words for the router, the label
     * to generate for generation); no answer.
     */
    PromptDTO prompt(TaskDescriptorDTO task, String variable) throws TuningException;

    /**
     * Tokens of a prompt, with its answer when {@link PromptDTO#answer} is set.
     *
     * @param trafficTokens the most tokens the variable part may take; 0 for no budget
     * @param reserved tokens the sequence must leave free in the model's context
     * @throws ModelException when head, tail and answer alone exceed the context
     */
    PromptTokensDTO tokens(BaseModel model, PromptDTO prompt, int trafficTokens, int reserved) throws ModelException;

    /**
     * Tokens a classification prompt must leave free for its answer: the longest of
     * {@code labels} as {@code model} encodes it, and the end token. A caller that
     * classifies many prompts over one label set measures it once and passes it to
     * {@link #tokens} as part of {@code reserved}.
     */
    int answerTokens(BaseModel model, List<String> labels) throws ModelException;

    /**
     * Tokens of an inference prompt for a classification over {@code labels}: reserves
     * {@link #answerTokens} beyond {@code reserved}.
     */
    PromptTokensDTO classificationTokens(BaseModel model, PromptDTO prompt, int trafficTokens, int reserved,
            List<String> labels) throws ModelException;
}
