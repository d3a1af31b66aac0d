package org.trafficllm.tokenizer.impl;

/**
 * GPT-2's reversible map between the 256 byte values and 256 printable characters: printable
 * Latin-1 bytes stand for themselves, the other 68 are shifted to U+0100 and up in byte order.
 * Byte-level BPE tokens are strings over these characters.
 */
final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[0x200];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (0x100 + shifted++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The byte a character stands for, or -1 when it is not one of the 256. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /**
     * The byte-level string of the UTF-8 bytes of {@code text}. A lone surrogate, which no UTF-8
     * text can hold, becomes U+FFFD.
     */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out.append(BYTE_TO_CHAR[c]);
            } else if (c < 0x800) {
                out.append(BYTE_TO_CHAR[0xC0 | c >> 6]).append(BYTE_TO_CHAR[0x80 | c & 0x3F]);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out.append(BYTE_TO_CHAR[0xF0 | cp >> 18]).append(BYTE_TO_CHAR[0x80 | cp >> 12 & 0x3F])
                        .append(BYTE_TO_CHAR[0x80 | cp >> 6 & 0x3F]).append(BYTE_TO_CHAR[0x80 | cp & 0x3F]);
            } else {
                int cp = Character.isSurrogate(c) ? 0xFFFD : c;
                out.append(BYTE_TO_CHAR[0xE0 | cp >> 12]).append(BYTE_TO_CHAR[0x80 | cp >> 6 & 0x3F])
                        .append(BYTE_TO_CHAR[0x80 | cp & 0x3F]);
            }
        }
        return out.toString();
    }

    /** All 256 characters, in byte order. */
    static char[] characters() {
        return BYTE_TO_CHAR.clone();
    }
}
