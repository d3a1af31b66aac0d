package org.trafficllm.baseline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes a traffic text stands for. Flow texts ({@code <pck>} before each
 * packet's hex, TrafficLLM's flow and payload representations) give one byte array
 * per packet; a text that is all hex gives its bytes; any other text (an HTTP
 * request, traffic words) gives its UTF-8 bytes as one segment. Flow fields before the
 * first packet ({@link FlowFields}) are numbers, not bytes, and are left out here.
 */
final class TrafficBytes {
    static final String PACKET_MARK = "<pck>";

    private TrafficBytes() {
    }

    static List<byte[]> segments(String text) {
        String traffic = FlowFields.strip(text);
        List<byte[]> segments = new ArrayList<>();
        if (!traffic.contains(PACKET_MARK)) {
            segments.add(bytes(traffic.strip()));
            return segments;
        }
        int start = traffic.indexOf(PACKET_MARK);
        if (start > 0 && !traffic.substring(0, start).isBlank()) {
            segments.add(bytes(traffic.substring(0, start).strip()));
        }
        while (start >= 0) {
            int from = start + PACKET_MARK.length();
            int next = traffic.indexOf(PACKET_MARK, from);
            String segment = (next < 0 ? traffic.substring(from) : traffic.substring(from, next)).strip();
            segments.add(bytes(segment));
            start = next;
        }
        return segments;
    }

    private static byte[] bytes(String text) {
        if (isHex(text)) {
            byte[] out = new byte[text.length() / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (Character.digit(text.charAt(2 * i), 16) << 4 | Character.digit(text.charAt(2 * i + 1), 16));
            }
            return out;
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String text) {
        if (text.isEmpty() || text.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
