package org.trafficllm.text.impl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Locale;

import org.trafficllm.api.text.dto.HttpRequestDTO;

/**
 * The shape of an HTTP request's arguments, the attributes an anomaly detector for web
 * requests learns per parameter (Kruegel and Vigna's length and character-distribution
 * models): {@code request.args: name length classes, ...}. The arguments are the URL's
 * query, then the body when it is a form ({@link #formEncoded}); another body is one
 * argument named {@code body}. A value is percent-decoded (UTF-8 when
 * its bytes are valid UTF-8, else ISO-8859-1, as older forms send) with {@code +} as a
 * space; its length counts the decoded characters. Its classes are {@code a} (a lower-case
 * letter, of any script), {@code A} (an upper-case or other letter), {@code 9} (a digit),
 * {@code s} (white space), {@code c} (a control character) and {@code u} (any other
 * character beyond ASCII), in that order, then every other ASCII character itself in code
 * order (a comma too: the classes hold no space, so {@code ,, } ends a value with one); a {@code %} that starts no escape stays a
 * {@code %}. An argument without {@code =} has length 0 and no classes. Names are written
 * as sent, at most {@value #NAME_LIMIT} characters; at most {@value #ARGUMENT_LIMIT}
 * arguments are written, then {@code +N} for the rest. A request without arguments writes
 * {@code request.args: 0}.
 *
 * <p>The text says how long each value is and which kinds of character it holds, which a
 * model reading the raw request has to count and compare for itself: a 15-digit card
 * number among 16-digit ones, an underscore in a surname.
 */
final class HttpRequestShape {
    static final int NAME_LIMIT = 32;
    static final int ARGUMENT_LIMIT = 24;
    static final String FIELD = "request.args: ";
    /** Lower-case letter, other letter, digit, white space, control character, other non-ASCII character. */
    static final String CLASSES = "aA9scu";

    private HttpRequestShape() {
    }

    /** Appends {@code request.args: ..., } (with the trailing separator) for a request. */
    static void append(HttpRequestDTO request, StringBuilder out) {
        out.append(FIELD);
        String url = request.url == null ? "" : request.url;
        int q = url.indexOf('?');
        int hash = url.indexOf('#', q < 0 ? 0 : q);
        String query = q < 0 ? "" : url.substring(q + 1, hash < 0 ? url.length() : hash);
        String body = request.body == null ? "" : request.body;
        int[] written = {0, 0};
        arguments(query, out, written);
        if (!body.isEmpty()) {
            if (formEncoded(request, body)) {
                arguments(body, out, written);
            } else {
                argument("body", body, out, written);
            }
        }
        if (written[0] + written[1] == 0) {
            out.append("0, ");
        } else if (written[1] > 0) {
            out.append('+').append(written[1]).append(", ");
        }
    }

    /**
     * Whether a body is {@code name=value} pairs: its {@code Content-Type} says
     * {@code application/x-www-form-urlencoded}; without one, it holds a {@code =} and does
     * not start as JSON or XML does.
     */
    static boolean formEncoded(HttpRequestDTO request, String body) {
        if (request.headers != null) {
            for (String header : request.headers) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("Content-Type")) {
                    return header.substring(colon + 1).trim().toLowerCase(Locale.ROOT)
                            .startsWith("application/x-www-form-urlencoded");
                }
            }
        }
        String start = body.stripLeading();
        return body.indexOf('=') >= 0 && !start.startsWith("{") && !start.startsWith("[") && !start.startsWith("<");
    }

    private static void arguments(String encoded, StringBuilder out, int[] written) {
        int start = 0;
        while (start <= encoded.length() && !encoded.isEmpty()) {
            int end = encoded.indexOf('&', start);
            if (end < 0) {
                end = encoded.length();
            }
            if (end > start) {
                String pair = encoded.substring(start, end);
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    argument(pair, null, out, written);
                } else {
                    argument(pair.substring(0, eq), decode(pair.substring(eq + 1)), out, written);
                }
            }
            start = end + 1;
        }
    }

    /** One argument: {@code name length classes, }; a null value is an argument without {@code =}. */
    private static void argument(String name, String value, StringBuilder out, int[] written) {
        if (written[0] == ARGUMENT_LIMIT) {
            written[1]++;
            return;
        }
        written[0]++;
        appendName(name.isEmpty() ? "-" : name, out);
        out.append(' ');
        if (value == null || value.isEmpty()) {
            out.append("0, ");
            return;
        }
        out.append(value.codePointCount(0, value.length())).append(' ');
        appendClasses(value, out);
        out.append(", ");
    }

    /** The name as sent, without white space or the separators of this text, cut to the limit. */
    private static void appendName(String name, StringBuilder out) {
        int n = 0;
        for (int i = 0; i < name.length() && n < NAME_LIMIT; i++, n++) {
            char c = name.charAt(i);
            out.append(c <= ' ' || c == ',' || c > 0x7e ? '?' : c);
        }
        if (name.length() > NAME_LIMIT) {
            out.append('~');
        }
    }

    /** Appends the classes of a value's characters: {@value #CLASSES} in that order, then ASCII punctuation in code order. */
    static void appendClasses(String value, StringBuilder out) {
        int classes = 0;
        BitSet others = new BitSet(128);
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLowerCase(cp)) {
                classes |= 1;
            } else if (Character.isLetter(cp)) {
                classes |= 1 << 1;
            } else if (Character.isDigit(cp)) {
                classes |= 1 << 2;
            } else if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                classes |= 1 << 3;
            } else if (Character.isISOControl(cp)) {
                classes |= 1 << 4;
            } else if (cp >= 128) {
                classes |= 1 << 5;
            } else {
                others.set(cp);
            }
        }
        for (int k = 0; k < CLASSES.length(); k++) {
            if ((classes & 1 << k) != 0) {
                out.append(CLASSES.charAt(k));
            }
        }
        for (int c = others.nextSetBit(0); c >= 0; c = others.nextSetBit(c + 1)) {
            out.append((char) c);
        }
    }

    /** Percent-decoding with {@code +} as a space: UTF-8 when the bytes are valid UTF-8, else ISO-8859-1. */
    static String decode(String encoded) {
        if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        boolean escaped = false;
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && i + 2 < encoded.length() && hex(encoded.charAt(i + 1)) >= 0
                    && hex(encoded.charAt(i + 2)) >= 0) {
                bytes.write(hex(encoded.charAt(i + 1)) << 4 | hex(encoded.charAt(i + 2)));
                escaped = true;
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        byte[] raw = bytes.toByteArray();
        if (!escaped) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
