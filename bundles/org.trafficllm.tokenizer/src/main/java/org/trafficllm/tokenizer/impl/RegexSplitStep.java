package org.trafficllm.tokenizer.impl;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face's {@code Split} pre-tokenizer with the {@code Isolated} or {@code Removed}
 * behaviour: every match and every gap between matches is a piece ({@code Isolated}), or only
 * the gaps are ({@code Removed}); {@code invert} swaps matches and gaps.
 */
final class RegexSplitStep implements PreTokenizerStep {
    private final Pattern pattern;
    private final boolean removeMatches;
    private final boolean removeGaps;

    RegexSplitStep(Pattern pattern, boolean removed, boolean invert) {
        this.pattern = pattern;
        this.removeMatches = removed && !invert;
        this.removeGaps = removed && invert;
    }

    @Override
    public void split(String piece, Consumer<String> sink) {
        Matcher m = pattern.matcher(piece);
        int end = 0;
        while (m.find()) {
            if (m.start() == m.end()) {
                continue;
            }
            if (m.start() > end && !removeGaps) {
                sink.accept(piece.substring(end, m.start()));
            }
            if (!removeMatches) {
                sink.accept(piece.substring(m.start(), m.end()));
            }
            end = m.end();
        }
        if (end < piece.length() && !removeGaps) {
            sink.accept(end == 0 ? piece : piece.substring(end));
        }
    }
}
