package org.trafficllm.tokenizer.impl;

/**
 * The traffic-aware word rule: a base word regex with traffic branches tried first.
 * <ul>
 * <li>A dotted protocol field name with its colon ({@code  tcp.flags.syn:}) is one word, so a
 * frequent field name can become one token; the GPT-2 rule would cut it at every dot.</li>
 * <li>A lowercase hex run of at least 16 characters ({@code 4500003c…}, flow bytes) is cut into
 * words of at most {@code chunk} characters counted from the start of the run.</li>
 * <li>A run of at least 8 colon-separated hex bytes ({@code 16:03:01:…}, the payload in traffic
 * words) is cut into words of at most {@code chunk / 2} bytes, each byte with its colon.</li>
 * </ul>
 * The first word of a run carries the leading space; no token crosses a word boundary, so BPE
 * learns freely inside a word, across digits and letters. The GPT-2 rule instead cuts hex at
 * every switch between a digit and a letter and at every colon, which keeps words to a few
 * characters.
 * <p>
 * A continuation branch looks back at one whole previous word (fixed length), so it only
 * continues after a full-length word; it can also fire after unrelated text of the same shape
 * directly followed by more hex, which changes how that rare text segments, never what an id
 * means. Every construct is understood alike by {@code java.util.regex} and by Oniguruma, the
 * engine of Hugging Face tokenizers' {@code Split}.
 */
final class TrafficWordRule {
    private static final String FIELD = "(?: ?(?<![0-9A-Za-z_.])[a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)+:)";
    /** Branches between {@link #FIELD} and the base rule; none of them contains a {@code |}. */
    private static final int HEX_BRANCHES = 4;
    static final int MIN_HEX_RUN = 16;

    private TrafficWordRule() {
    }

    /** The traffic rule over {@code baseRegex}; a base that already is a traffic rule is unwrapped first. */
    static String regex(String baseRegex, int chunk) {
        int bytes = chunk / 2;
        String colonByte = "[0-9a-f]{2}:";
        String colonWord = "(?:" + colonByte + "){0," + (bytes - 1) + "}[0-9a-f]{2}:?";
        return FIELD
                + "|(?<=[0-9a-f]{" + chunk + "})[0-9a-f]{1," + chunk + "}"
                + "| ?(?<![0-9A-Za-z])(?=[0-9a-f]{" + MIN_HEX_RUN + "})[0-9a-f]{1," + chunk + "}"
                + "|(?<=(?:" + colonByte + "){" + bytes + "})" + colonWord
                + "| ?(?<![0-9A-Za-z:])(?=(?:" + colonByte + "){" + (MIN_HEX_RUN / 2 - 1) + "}[0-9a-f]{2})" + colonWord
                + "|" + underlying(baseRegex);
    }

    private static String underlying(String regex) {
        if (!regex.startsWith(FIELD + "|")) {
            return regex;
        }
        String rest = regex.substring(FIELD.length() + 1);
        for (int branch = 0; branch < HEX_BRANCHES; branch++) {
            rest = rest.substring(rest.indexOf('|') + 1);
        }
        return rest;
    }
}
