package org.trafficllm.tokenizer.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A sequence of pre-tokenizer steps, each applied to every piece the previous one produced. */
final class PreTokenizer {
    private final List<PreTokenizerStep> steps;

    PreTokenizer(List<PreTokenizerStep> steps) {
        this.steps = List.copyOf(steps);
    }

    /** Hands the words of {@code text} to {@code sink}, in order. */
    void split(String text, Consumer<String> sink) {
        if (text.isEmpty()) {
            return;
        }
        if (steps.size() == 1) {
            steps.get(0).split(text, sink);
            return;
        }
        List<String> pieces = new ArrayList<>();
        pieces.add(text);
        for (int s = 0; s < steps.size(); s++) {
            PreTokenizerStep step = steps.get(s);
            if (s == steps.size() - 1) {
                for (String piece : pieces) {
                    step.split(piece, sink);
                }
                return;
            }
            List<String> next = new ArrayList<>(pieces.size() * 2);
            for (String piece : pieces) {
                step.split(piece, next::add);
            }
            pieces = next;
        }
    }
}
