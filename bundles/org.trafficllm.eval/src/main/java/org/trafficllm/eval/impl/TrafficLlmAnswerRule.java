package org.trafficllm.eval.impl;

import java.util.List;

/**
 * TrafficLLM's {@code td_evaluation} reading of a generated answer: a one-word
 * answer must be a label; a sentence names the label in its last word, before the
 * full stop ("The traffic category is likely to be recognized as X."). Deliberate
 * differences: surrounding white space is ignored; an answer equal to a label is
 * accepted even when the label contains spaces (TrafficLLM would cut it to its last
 * word); a one-word answer may end in a full stop; and only a trailing {@code .} or
 * {@code 。} is removed from a sentence's last word (TrafficLLM drops its last
 * character whatever it is, so "… as Neris" became "Neri").
 */
final class TrafficLlmAnswerRule {
    private TrafficLlmAnswerRule() {
    }

    static String labelOf(String answer, List<String> labels) {
        if (answer == null) {
            return null;
        }
        String text = answer.strip();
        if (labels.contains(text)) {
            return text;
        }
        String stripped = withoutFullStop(text);
        if (labels.contains(stripped)) {
            return stripped;
        }
        int space = lastWhitespace(stripped);
        if (space < 0) {
            return null;
        }
        String lastWord = stripped.substring(space + 1);
        return labels.contains(lastWord) ? lastWord : null;
    }

    private static String withoutFullStop(String text) {
        if (text.endsWith(".") || text.endsWith("。")) {
            return text.substring(0, text.length() - 1).stripTrailing();
        }
        return text;
    }

    private static int lastWhitespace(String text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
