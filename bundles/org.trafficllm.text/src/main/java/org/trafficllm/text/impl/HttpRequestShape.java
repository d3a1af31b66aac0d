package org.trafficllm.text.impl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Locale;

import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;

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
 * order (a comma too: the classes hold no space, so {@code ,, } ends a value with one); a
 * {@code %} that starts no escape stays a {@code %}. An argument without {@code =} has length 0 and no classes. Names are written
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

    private final StringBuilder out;
    /** Arguments written, and those left out beyond {@link #ARGUMENT_LIMIT}. */
    private int written;
    private int over;

    private HttpRequestShape(StringBuilder out) {
        this.out = out;
    }

    /** Appends the shape and then {@link HttpRequestText}'s JSON: the {@code http-request-shape} text. */
    static void appendWithJson(HttpRequestDTO request, RenderOptions options, StringBuilder out) {
        append(request, out);
        HttpRequestText.appendJson(request, options, out);
    }

    /** Appends {@code request.args: ..., } (with the trailing separator) for a request. */
    static void append(HttpRequestDTO request, StringBuilder out) {
        out.append(FIELD);
        HttpRequestShape shape = new HttpRequestShape(out);
        String url = request.url == null ? "" : request.url;
        int q = url.indexOf('?');
        if (q >= 0) {
            int hash = url.indexOf('#', q);
            shape.arguments(url.substring(q + 1, hash < 0 ? url.length() : hash));
        }
        String body = request.body == null ? "" : request.body;
        if (!body.isEmpty()) {
            if (formEncoded(request, body)) {
                shape.arguments(body);
            } else {
                shape.argument("body", body);
            }
        }
        if (shape.written == 0) {
            out.append("0, ");
        } else if (shape.over > 0) {
            out.append('+').append(shape.over).append(", ");
        }
    }

    /**
     * Whether a body is {@code name=value} pairs: its {@code Content-Type} says
     * {@code application/x-www-form-urlencoded}; without one, it holds a {@code =} and does
     * not start as JSON or XML does.
     */
    static boolean formEncoded(HttpRequestDTO request, String body) {
        String type = HttpRequestText.header(request, "Content-Type");
        if (type != null) {
            return type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        }
        String start = body.stripLeading();
        return body.indexOf('=') >= 0 && !start.startsWith("{") && !start.startsWith("[") && !start.startsWith("<");
    }

    /** The {@code &}-separated pairs of a query or form body; empty pairs are skipped. */
    private void arguments(String encoded) {
        int start = 0;
        while (start < encoded.length()) {
            int end = encoded.indexOf('&', start);
            if (end < 0) {
                end = encoded.length();
            }
            if (end > start) {
                int eq = encoded.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    argument(encoded.substring(start, end), null);
                } else {
                    argument(encoded.substring(start, eq), decode(encoded.substring(eq + 1, end)));
                }
            }
            start = end + 1;
        }
    }

    /** One argument: {@code name length classes, }; a null value is an argument without {@code =}. */
    private void argument(String name, String value) {
        if (written == ARGUMENT_LIMIT) {
            over++;
            return;
        }
        written++;
        appendName(name.isEmpty() ? "-" : name);
        if (value == null || value.isEmpty()) {
            out.append(" 0, ");
            return;
        }
        out.append(' ').append(value.codePointCount(0, value.length())).append(' ');
        appendClasses(value, out);
        out.append(", ");
    }

    /** The name as sent, without white space or the separators of this text, cut to the limit. */
    private void appendName(String name) {
        for (int i = 0; i < Math.min(name.length(), NAME_LIMIT); i++) {
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

    /**
     * Percent-decoding with {@code +} as a space: UTF-8 when the bytes are valid UTF-8, else
     * ISO-8859-1; a {@code %} that starts no escape stays as it is.
     */
    static String decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded.replace('+', ' ');
        }
        byte[] in = encoded.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '+') {
                bytes.write(' ');
            } else if (in[i] == '%' && i + 2 < in.length && HexFormat.isHexDigit(in[i + 1])
                    && HexFormat.isHexDigit(in[i + 2])) {
                bytes.write(HexFormat.fromHexDigit(in[i + 1]) << 4 | HexFormat.fromHexDigit(in[i + 2]));
                i += 2;
            } else {
                bytes.write(in[i]);
            }
        }
        byte[] raw = bytes.toByteArray();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
    }
}
