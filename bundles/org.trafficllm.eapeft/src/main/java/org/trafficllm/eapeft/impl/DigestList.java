package org.trafficllm.eapeft.impl;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.trafficllm.api.task.TaskException;

/**
 * The {@code TrafficLLM-Digests} manifest header: every file of a task bundle with
 * its SHA-256, as {@code name;sha-256=<hex>} clauses separated by commas, names in
 * sorted order. Names holding a comma, semicolon, quote or space are quoted.
 */
final class DigestList {
    static final String ATTRIBUTE = "sha-256";

    private DigestList() {
    }

    static String format(Map<String, String> digests) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(digests).entrySet()) {
            if (out.length() > 0) {
                out.append(',');
            }
            String name = e.getKey();
            boolean quote = name.chars().anyMatch(c -> c == ',' || c == ';' || c == '"' || c == ' ' || c == '=');
            if (quote) {
                out.append('"').append(name.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else {
                out.append(name);
            }
            out.append(';').append(ATTRIBUTE).append('=').append(e.getValue());
        }
        return out.toString();
    }

    /** File name to lower-case hex SHA-256, sorted by name. */
    static Map<String, String> parse(String where, String header) throws TaskException {
        Map<String, String> digests = new TreeMap<>();
        if (header == null || header.isBlank()) {
            throw new TaskException(where + ": the manifest has no " + org.trafficllm.api.task.TaskRegistry.DIGESTS_HEADER
                    + " header");
        }
        int i = 0;
        int n = header.length();
        while (i < n) {
            while (i < n && (header.charAt(i) == ',' || Character.isWhitespace(header.charAt(i)))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder name = new StringBuilder();
            if (header.charAt(i) == '"') {
                i++;
                while (i < n && header.charAt(i) != '"') {
                    char c = header.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = header.charAt(i++);
                    }
                    name.append(c);
                }
                if (i >= n) {
                    throw new TaskException(where + ": digest list: unterminated quote after '" + name + "'");
                }
                i++;
            } else {
                while (i < n && header.charAt(i) != ';' && header.charAt(i) != ',') {
                    name.append(header.charAt(i++));
                }
            }
            String file = name.toString().trim();
            String digest = null;
            while (i < n && header.charAt(i) != ',') {
                if (header.charAt(i) != ';') {
                    throw new TaskException(where + ": digest list: unexpected text after '" + file + "'");
                }
                i++;
                int end = i;
                while (end < n && header.charAt(end) != ';' && header.charAt(end) != ',') {
                    end++;
                }
                String attribute = header.substring(i, end).trim();
                int eq = attribute.indexOf('=');
                if (eq > 0 && attribute.substring(0, eq).trim().equalsIgnoreCase(ATTRIBUTE)) {
                    digest = attribute.substring(eq + 1).trim().toLowerCase(java.util.Locale.ROOT);
                }
                i = end;
            }
            if (file.isEmpty()) {
                throw new TaskException(where + ": digest list: a clause has no file name");
            }
            if (digest == null || !digest.matches("[0-9a-f]{64}")) {
                throw new TaskException(where + ": digest list: '" + file + "' has no valid " + ATTRIBUTE + " value");
            }
            if (digests.put(file, digest) != null) {
                throw new TaskException(where + ": digest list: '" + file + "' is listed twice");
            }
        }
        if (digests.isEmpty()) {
            throw new TaskException(where + ": digest list is empty");
        }
        return digests;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
