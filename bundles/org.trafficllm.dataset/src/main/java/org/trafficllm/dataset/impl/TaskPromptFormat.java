package org.trafficllm.dataset.impl;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.PromptFormat;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.PromptDTO;
import org.trafficllm.api.tuning.dto.PromptTokensDTO;

/** The prompt format of {@link PromptFormat}, for training and inference alike. */
@Component(service = PromptFormat.class)
public class TaskPromptFormat implements PromptFormat {
    private final TaskCatalog catalog;

    @Activate
    public TaskPromptFormat(@Reference TaskCatalog catalog) {
        this.catalog = catalog;
    }

    /** The placeholder whose text may be cut: traffic for detection, the user's words for the router, none for generation. */
    public static String variablePlaceholder(TaskDescriptorDTO task) {
        TaskKind kind = task.kind == null ? TaskKind.DETECTION : task.kind;
        return switch (kind) {
            case DETECTION -> TaskCatalog.TRAFFIC;
            case ROUTER -> TaskCatalog.INSTRUCTION;
            case GENERATION -> null;
        };
    }

    /** The output template's placeholder for the answer: the generated traffic for generation, else the label. */
    static String answerPlaceholder(TaskDescriptorDTO task) {
        return task.kind == TaskKind.GENERATION ? TaskCatalog.TRAFFIC : TaskCatalog.LABEL;
    }

    @Override
    public PromptDTO parse(TaskDescriptorDTO task, String instruction, String output) throws TuningException {
        if (instruction == null) {
            throw new TuningException("no instruction");
        }
        if (output == null) {
            throw new TuningException("no output");
        }
        PromptDTO p = new PromptDTO();
        String template = template(task);
        String variable = variablePlaceholder(task);
        int at = variable == null ? -1 : template.indexOf('{' + variable + '}');
        String[] answer = answerParts(task);
        if (at < 0) {
            p.head = instruction;
        } else {
            String templateHead = fill(task, template.substring(0, at), null);
            String after = fill(task, template.substring(at + variable.length() + 2), null);
            String marker = templateHead.substring(templateHead.lastIndexOf('\n') + 1);
            int start;
            if (instruction.startsWith(templateHead)) {
                start = templateHead.length();
            } else if (marker.isEmpty()) {
                start = 0;
            } else {
                int found = instruction.indexOf(marker);
                if (found < 0) {
                    throw new TuningException("instruction has no traffic marker '" + printable(marker) + "' of task "
                            + task.id);
                }
                start = found + marker.length();
            }
            int end = instruction.length();
            if (!after.isEmpty() && instruction.endsWith(after) && end - after.length() >= start) {
                end -= after.length();
            }
            p.head = instruction.substring(0, start);
            p.variable = instruction.substring(start, end);
            p.tail = instruction.substring(end);
        }
        p.tail = p.tail + ANSWER_SEPARATOR + answer[0];
        if (!output.startsWith(answer[0]) || !output.endsWith(answer[1])
                || output.length() < answer[0].length() + answer[1].length()) {
            throw new TuningException("output '" + abbreviate(output) + "' does not follow the output template '"
                    + printable(task.outputTemplate) + "' of task " + task.id);
        }
        p.answer = output.substring(answer[0].length(), output.length() - answer[1].length());
        p.answerSuffix = answer[1];
        return p;
    }

    @Override
    public PromptDTO prompt(TaskDescriptorDTO task, String variable) throws TuningException {
        String template = template(task);
        PromptDTO p = new PromptDTO();
        String placeholder = variablePlaceholder(task);
        int at = placeholder == null ? -1 : template.indexOf('{' + placeholder + '}');
        if (at < 0) {
            p.head = fill(task, template, task.kind == TaskKind.GENERATION ? variable : null);
        } else {
            p.head = fill(task, template.substring(0, at), null);
            p.variable = variable == null ? "" : variable;
            p.tail = fill(task, template.substring(at + placeholder.length() + 2), null);
        }
        String[] answer = answerParts(task);
        p.tail = p.tail + ANSWER_SEPARATOR + answer[0];
        p.answerSuffix = answer[1];
        return p;
    }

    @Override
    public PromptTokensDTO tokens(BaseModel model, PromptDTO prompt, int trafficTokens, int reserved)
            throws ModelException {
        int[] head = encode(model, prompt.head);
        int[] variable = encode(model, prompt.variable);
        int[] tail = encode(model, prompt.tail);
        int[] answer = new int[0];
        if (prompt.answer != null) {
            int eos = model.info().eosTokenId;
            if (eos < 0) {
                throw new ModelException("base model " + model.info().name + " has no eos_token_id to end an answer with");
            }
            answer = concat(encode(model, prompt.answer), encode(model, prompt.answerSuffix), new int[] {eos});
        }
        int fixed = head.length + tail.length + answer.length;
        int room = model.info().maxContext - Math.max(0, reserved) - fixed;
        if (room < 0) {
            throw new ModelException("prompt without its traffic takes " + fixed + " tokens" + (reserved > 0 ? " (and "
                    + reserved + " reserved)" : "") + ", the context of base model " + model.info().name + " holds "
                    + model.info().maxContext);
        }
        int kept = Math.min(variable.length, room);
        if (trafficTokens > 0) {
            kept = Math.min(kept, trafficTokens);
        }
        PromptTokensDTO t = new PromptTokensDTO();
        t.tokenIds = concat(head, Arrays.copyOf(variable, kept), tail, answer);
        t.promptTokens = head.length + kept + tail.length;
        t.variableTokens = kept;
        t.variableTokensCut = variable.length - kept;
        return t;
    }

    @Override
    public int answerTokens(BaseModel model, List<String> labels) throws ModelException {
        int longest = 0;
        for (String label : labels) {
            longest = Math.max(longest, encode(model, label).length);
        }
        return longest + 1;
    }

    @Override
    public PromptTokensDTO classificationTokens(BaseModel model, PromptDTO prompt, int trafficTokens, int reserved,
            List<String> labels) throws ModelException {
        return tokens(model, copyWithoutAnswer(prompt), trafficTokens, reserved + answerTokens(model, labels));
    }

    static PromptDTO copyWithoutAnswer(PromptDTO p) {
        PromptDTO c = new PromptDTO();
        c.head = p.head;
        c.variable = p.variable;
        c.tail = p.tail;
        c.answerSuffix = p.answerSuffix;
        return c;
    }

    private static int[] encode(BaseModel model, String text) throws ModelException {
        return text == null || text.isEmpty() ? new int[0] : model.encode(text);
    }

    private static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static String template(TaskDescriptorDTO task) throws TuningException {
        if (task == null || task.promptTemplate == null) {
            throw new TuningException("task " + (task == null ? null : task.id) + " has no prompt template");
        }
        return task.promptTemplate;
    }

    /** The output template's text before and after its answer placeholder, filled. */
    private String[] answerParts(TaskDescriptorDTO task) {
        String template = task.outputTemplate == null || task.outputTemplate.isEmpty() ? "{" + TaskCatalog.LABEL + "}"
                : task.outputTemplate;
        String marker = '{' + answerPlaceholder(task) + '}';
        int at = template.indexOf(marker);
        if (at < 0) {
            return new String[] {fill(task, template, null), ""};
        }
        return new String[] {fill(task, template.substring(0, at), null),
                fill(task, template.substring(at + marker.length()), null)};
    }

    /** Fills {@code {granularity}} (and {@code {label}} when given) as the catalog fills templates. */
    public String fill(TaskDescriptorDTO task, String template, String label) {
        String granularity = task.granularity == null ? "packet" : task.granularity.word();
        return catalog.fill(template, label == null ? Map.of(TaskCatalog.GRANULARITY, granularity)
                : Map.of(TaskCatalog.GRANULARITY, granularity, TaskCatalog.LABEL, label));
    }

    private static String printable(String s) {
        return s == null ? "null" : s.replace("\n", "\\n");
    }

    private static String abbreviate(String s) {
        String p = printable(s);
        return p.length() > 60 ? p.substring(0, 57) + "..." : p;
    }
}
