package org.trafficllm.tokenizer.impl;

/**
 * The traffic-aware word rule: a base word regex with traffic branches tried first.
 * <ul>
 * <li>A dotted protocol field name with its colon ({@code  tcp.flags.syn:}) is one word, so a
 * frequent field name can become one token; the GPT-2 rule would cut it at every dot.</li>
 * <li>A lowercase hex run of at least 16 characters is cut into words of {@code chunk}
 * characters counted from the start of the run (the first one carries the leading space), so
 * tokens stay aligned to bytes; the GPT-2 rule cuts hex at every switch between digits and
 * letters, which leaves no room for byte-aligned tokens.</li>
 * </ul>
 * The continuation branch only looks back at the previous {@code chunk} characters, so it also
 * fires after a word of at least {@code chunk} hex letters that is directly followed by hex
 * (as in {@code decade2020}); that changes how such rare text segments, never what an id means.
 * Every construct is understood alike by {@code java.util.regex} and by Oniguruma, the engine
 * of Hugging Face tokenizers' {@code Split}.
 */
final class TrafficWordRule {
    private static final String MARK = "(?: ?(?<![0-9A-Za-z_.])[a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)+:)";
    static final int MIN_HEX_RUN = 16;

    private TrafficWordRule() {
    }

    /** The traffic rule over {@code baseRegex}; a base that already is a traffic rule is unwrapped first. */
    static String regex(String baseRegex, int chunk) {
        String base = underlying(baseRegex);
        return MARK
                + "|(?<=[0-9a-f]{" + chunk + "})[0-9a-f]{1," + chunk + "}"
                + "| ?(?<![0-9A-Za-z])(?=[0-9a-f]{" + MIN_HEX_RUN + "})[0-9a-f]{" + chunk + "}"
                + "|" + base;
    }

    private static String underlying(String regex) {
        if (!regex.startsWith(MARK + "|")) {
            return regex;
        }
        String rest = regex.substring(MARK.length() + 1);
        for (int branch = 0; branch < 2; branch++) {
            rest = rest.substring(rest.indexOf('|') + 1);
        }
        return rest;
    }
}
