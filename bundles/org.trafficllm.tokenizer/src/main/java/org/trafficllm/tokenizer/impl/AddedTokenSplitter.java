package org.trafficllm.tokenizer.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Cuts added tokens out of a text before pre-tokenization, as Hugging Face's added vocabulary
 * does: leftmost-longest matches, scanning on after each match; a {@code single_word} token
 * that touches a word character is skipped; {@code lstrip}/{@code rstrip} take the adjacent
 * whitespace into the token.
 */
final class AddedTokenSplitter {
    private static final Pattern WORD_CHAR = Pattern.compile("\\w", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPACE_CHAR = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS);

    /** Receives the pieces of a text: plain text ({@code tokenId} -1) or one added token. */
    interface Sink {
        void piece(String text, int tokenId);
    }

    private final Map<Character, List<AddedToken>> byFirstChar = new HashMap<>();

    AddedTokenSplitter(List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            if (!t.content().isEmpty()) {
                byFirstChar.computeIfAbsent(t.content().charAt(0), c -> new ArrayList<>()).add(t);
            }
        }
        Comparator<AddedToken> longestFirst = Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed();
        byFirstChar.values().forEach(list -> list.sort(longestFirst));
    }

    boolean isEmpty() {
        return byFirstChar.isEmpty();
    }

    void split(String text, Sink sink) {
        if (byFirstChar.isEmpty()) {
            sink.piece(text, -1);
            return;
        }
        int emitted = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken match = longestAt(text, i);
            if (match == null) {
                i++;
                continue;
            }
            int start = i;
            int stop = i + match.content().length();
            i = stop;
            if (match.singleWord()) {
                boolean wordBefore = start > 0 && isWordChar(text.codePointBefore(start));
                boolean wordAfter = stop < text.length() && isWordChar(text.codePointAt(stop));
                if (wordBefore || wordAfter) {
                    continue;
                }
            }
            if (match.lstrip()) {
                int s = start;
                while (s > emitted && isSpace(text.codePointBefore(s))) {
                    s -= Character.charCount(text.codePointBefore(s));
                }
                start = s;
            }
            if (match.rstrip()) {
                while (stop < text.length() && isSpace(text.codePointAt(stop))) {
                    stop += Character.charCount(text.codePointAt(stop));
                }
                i = stop;
            }
            if (start > emitted) {
                sink.piece(text.substring(emitted, start), -1);
            }
            sink.piece(text.substring(start, stop), match.id());
            emitted = stop;
        }
        if (emitted < text.length()) {
            sink.piece(emitted == 0 ? text : text.substring(emitted), -1);
        }
    }

    private AddedToken longestAt(String text, int i) {
        List<AddedToken> candidates = byFirstChar.get(text.charAt(i));
        if (candidates != null) {
            for (AddedToken t : candidates) {
                if (text.startsWith(t.content(), i)) {
                    return t;
                }
            }
        }
        return null;
    }

    private static boolean isWordChar(int codePoint) {
        return WORD_CHAR.matcher(new String(Character.toChars(codePoint))).matches();
    }

    private static boolean isSpace(int codePoint) {
        return SPACE_CHAR.matcher(new String(Character.toChars(codePoint))).matches();
    }
}
