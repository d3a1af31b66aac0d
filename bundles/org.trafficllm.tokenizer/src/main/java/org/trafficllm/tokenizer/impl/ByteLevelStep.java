package org.trafficllm.tokenizer.impl;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Hugging Face's {@code ByteLevel} pre-tokenizer: optionally prefixes a space, optionally splits
 * with GPT-2's word pattern, then rewrites every piece as the byte-level string of its UTF-8
 * bytes.
 */
final class ByteLevelStep implements PreTokenizerStep {
    /**
     * GPT-2's split rule. Java needs {@code UNICODE_CHARACTER_CLASS} so that {@code \s} is
     * Unicode White_Space, as it is for the Oniguruma engine Hugging Face tokenizers uses.
     */
    static final String GPT2_PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private final boolean addPrefixSpace;
    private final RegexSplitStep gpt2;

    ByteLevelStep(boolean addPrefixSpace, boolean useRegex) {
        this.addPrefixSpace = addPrefixSpace;
        this.gpt2 = useRegex ? new RegexSplitStep(compile(GPT2_PATTERN), false, false) : null;
    }

    static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    }

    @Override
    public void split(String piece, Consumer<String> sink) {
        String text = addPrefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
        if (gpt2 == null) {
            sink.accept(ByteLevelAlphabet.encode(text));
        } else {
            gpt2.split(text, word -> sink.accept(ByteLevelAlphabet.encode(word)));
        }
    }
}
