package org.trafficllm.eapeft.impl;

import java.util.Map;

import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskException;

/**
 * How a task's templates become the tokens the model reads. The filled prompt
 * template comes first, then {@link #ANSWER_SEPARATOR}, then the output template up
 * to its {@code {label}}: the model's answer (a label under the constraint, or
 * generated text) continues from there. This is the layout task adapters are
 * trained on. When the prompt does not fit the context next to the longest answer
 * (and a prefix adapter's virtual tokens), the variable text (traffic or
 * instruction) is cut from its end, token by token, and the rest kept whole.
 */
final class PromptFormat {
    /** Between the instruction and the answer. */
    static final String ANSWER_SEPARATOR = "\n";

    /** Tokens ready for the model, and whether the variable text was cut. */
    record Prompt(int[] tokens, boolean truncated) {
    }

    private PromptFormat() {
    }

    /**
     * Fills {@code template}: each {@code {name}} whose name is a key of
     * {@code fields} becomes its value, in one pass; other braces stay, as the
     * catalog fills them.
     */
    static String fill(String template, Map<String, String> fields) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open + 1);
            String value = close > 0 ? fields.get(template.substring(open + 1, close)) : null;
            out.append(template, i, open);
            if (value != null) {
                out.append(value);
                i = close + 1;
            } else {
                out.append('{');
                i = open + 1;
            }
        }
        return out.toString();
    }

    /** The output template's text before {@code {label}}: what the answer starts with. */
    static String answerPrefix(String outputTemplate) {
        int at = outputTemplate == null ? -1 : outputTemplate.indexOf("{" + TaskCatalog.LABEL + "}");
        return at < 0 ? "" : outputTemplate.substring(0, at);
    }

    /**
     * Builds the prompt tokens.
     *
     * @param variable the placeholder whose value may be cut ({@code traffic} or {@code instruction})
     * @param budget tokens the prompt may take
     */
    static Prompt build(BaseModel model, String where, String template, String variable, Map<String, String> fields,
            String answerPrefix, int budget) throws TaskException {
        try {
            String whole = fill(template, fields) + ANSWER_SEPARATOR + answerPrefix;
            int[] tokens = model.encode(whole);
            if (tokens.length <= budget) {
                return new Prompt(tokens, false);
            }
            String marker = "{" + variable + "}";
            int at = template.indexOf(marker);
            if (at < 0) {
                throw new TaskException(where + ": the prompt takes " + tokens.length + " tokens, the model has room for "
                        + budget);
            }
            int[] head = model.encode(fill(template.substring(0, at), fields));
            int[] tail = model.encode(fill(template.substring(at + marker.length()), fields) + ANSWER_SEPARATOR
                    + answerPrefix);
            int room = budget - head.length - tail.length;
            if (room <= 0) {
                throw new TaskException(where + ": the prompt template alone takes " + (head.length + tail.length)
                        + " tokens, the model has room for " + budget);
            }
            int[] text = model.encode(fields.getOrDefault(variable, ""));
            int kept = Math.min(room, text.length);
            int[] cut = new int[head.length + kept + tail.length];
            System.arraycopy(head, 0, cut, 0, head.length);
            System.arraycopy(text, 0, cut, head.length, kept);
            System.arraycopy(tail, 0, cut, head.length + kept, tail.length);
            return new Prompt(cut, true);
        } catch (ModelException e) {
            throw new TaskException(where + ": " + e.getMessage(), e);
        }
    }
}
