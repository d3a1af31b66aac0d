package org.trafficllm.tokenizer.impl;

import java.text.Normalizer;
import java.util.List;

/** The Unicode normal forms of a Hugging Face normalizer, applied in order. */
final class TextNormalizer {
    static final TextNormalizer NONE = new TextNormalizer(List.of());

    private final List<Normalizer.Form> forms;

    TextNormalizer(List<Normalizer.Form> forms) {
        this.forms = List.copyOf(forms);
    }

    boolean isIdentity() {
        return forms.isEmpty();
    }

    String apply(String text) {
        String out = text;
        for (Normalizer.Form form : forms) {
            out = Normalizer.normalize(out, form);
        }
        return out;
    }
}
