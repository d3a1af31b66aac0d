package org.trafficllm.text.impl;

import java.util.Map;

import org.trafficllm.api.text.TextFormatException;

/**
 * Typed access to the fields of one traffic-words text for the composer: numbers
 * in decimal or {@code 0x} hex, addresses and ports possibly masked. Masking
 * placeholders become concrete identifiers, the same ones for the same
 * placeholder across the texts of a compose session: {@code IP_n} is 10.x.y.z
 * holding n, {@code MAC_n} is the locally administered 02:00:00 plus n,
 * {@code PORT_n} is 20000 + n.
 */
final class ComposedFields {
    private final CharSequence text;
    private final Map<String, String> fields;

    ComposedFields(CharSequence text) throws TextFormatException {
        this.text = text;
        this.fields = TrafficWordsFields.parse(text);
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    String text(String name) {
        return fields.get(name);
    }

    long number(String name, long otherwise) throws TextFormatException {
        String value = fields.get(name);
        if (value == null) {
            return otherwise;
        }
        String v = innermost(value);
        try {
            return v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw error(name, "not a number: \"" + value + "\"");
        }
    }

    /** Seconds with a fraction ({@code 12.000345000}) as nanoseconds. */
    long nanos(String name, long otherwise) throws TextFormatException {
        String value = fields.get(name);
        if (value == null || value.equals(Masking.TIME)) {
            return otherwise;
        }
        String v = value.trim();
        boolean negative = v.startsWith("-");
        if (negative) {
            v = v.substring(1);
        }
        int dot = v.indexOf('.');
        try {
            long seconds = Long.parseLong(dot < 0 ? v : v.substring(0, dot));
            String fraction = dot < 0 ? "" : v.substring(dot + 1);
            fraction = (fraction + "000000000").substring(0, 9);
            long nanos = seconds * 1_000_000_000L + Long.parseLong(fraction);
            return negative ? -nanos : nanos;
        } catch (NumberFormatException e) {
            throw error(name, "not a time in seconds: \"" + value + "\"");
        }
    }

    void ipv4(String name, byte[] into, int at, int fallback) throws TextFormatException {
        String value = fields.get(name);
        if (value == null) {
            placeholderAddress(fallback, into, at);
            return;
        }
        String v = innermost(value);
        if (v.startsWith("IP_")) {
            placeholderAddress((int) placeholderNumber(name, v, 3), into, at);
            return;
        }
        String[] parts = v.split("\\.");
        if (parts.length != 4) {
            throw error(name, "not an IPv4 address: \"" + value + "\"");
        }
        for (int i = 0; i < 4; i++) {
            try {
                int b = Integer.parseInt(parts[i]);
                if (b < 0 || b > 255) {
                    throw error(name, "not an IPv4 address: \"" + value + "\"");
                }
                into[at + i] = (byte) b;
            } catch (NumberFormatException e) {
                throw error(name, "not an IPv4 address: \"" + value + "\"");
            }
        }
    }

    void mac(String name, byte[] into, int at, int fallback) throws TextFormatException {
        String value = fields.get(name);
        long n = fallback;
        if (value != null && value.trim().startsWith("MAC_")) {
            n = placeholderNumber(name, value.trim(), 4);
        } else if (value != null) {
            String[] parts = value.trim().split(":");
            if (parts.length != 6) {
                throw error(name, "not a MAC address: \"" + value + "\"");
            }
            for (int i = 0; i < 6; i++) {
                try {
                    into[at + i] = (byte) Integer.parseInt(parts[i], 16);
                } catch (NumberFormatException e) {
                    throw error(name, "not a MAC address: \"" + value + "\"");
                }
            }
            return;
        }
        into[at] = 0x02;
        into[at + 1] = 0;
        into[at + 2] = 0;
        into[at + 3] = (byte) (n >> 16);
        into[at + 4] = (byte) (n >> 8);
        into[at + 5] = (byte) n;
    }

    int port(String name) throws TextFormatException {
        String value = fields.get(name);
        if (value == null) {
            throw error(name, "missing");
        }
        String v = value.trim();
        long port = v.startsWith("PORT_") ? 20000 + placeholderNumber(name, v, 5) : number(name, 0);
        if (port < 0 || port > 65535) {
            throw error(name, "not a port: \"" + value + "\"");
        }
        return (int) port;
    }

    /**
     * tshark lists a repeated field (the headers of an ICMP error and the header it
     * quotes) comma-separated, outermost first; the last one belongs with the
     * transport fields, so that is the one a frame is built from.
     */
    private static String innermost(String value) {
        String v = value.trim();
        int comma = v.lastIndexOf(',');
        return comma >= 0 ? v.substring(comma + 1).trim() : v;
    }

    private long placeholderNumber(String name, String value, int prefix) throws TextFormatException {
        try {
            return Long.parseLong(value.substring(prefix));
        } catch (NumberFormatException e) {
            throw error(name, "not a placeholder: \"" + value + "\"");
        }
    }

    private static void placeholderAddress(int n, byte[] into, int at) {
        into[at] = 10;
        into[at + 1] = (byte) (n >> 16);
        into[at + 2] = (byte) (n >> 8);
        into[at + 3] = (byte) n;
    }

    TextFormatException error(String name, String problem) {
        int at = indexOf(name);
        return new TextFormatException(name + " at character " + at + ": " + problem, at);
    }

    private int indexOf(String name) {
        String s = text.toString();
        int at = s.startsWith(name + ": ") ? 0 : s.indexOf(", " + name + ": ");
        return at <= 0 ? Math.max(at, 0) : at + 2;
    }
}
