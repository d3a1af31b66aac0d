package org.trafficllm.baseline;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flow features a traffic text may carry before its bytes, written by the
 * {@code flow-bytes-shape} renderer ({@code flow.packets: 13 11, flow.bytes: 2345 2778,
 * flow.duration: 1.520, flow.payloads: >517 <1460 >0, <pck>...}), as numbers in fixed
 * slots: packets and bytes each way, duration in seconds, then for each of the first
 * {@value #PACKETS} packets its direction (1 from the client, -1 back) and payload size.
 * Only fields at the very start of the text count (where the renderer writes them), so
 * an HTTP request that happens to contain such words is left alone. A field or packet
 * the text does not hold is {@link Float#NaN}. The model that reads the
 * text sees these fields, so the trees get them too, as numbers rather than as bytes.
 */
final class FlowFields {
    static final int PACKETS = 10;
    /** Slots: 2 packet counts, 2 byte counts, duration, then direction and size per packet. */
    static final int SIZE = 5 + 2 * PACKETS;
    /** One field of the leading run ({@code \\G}: at the text's start or right after the previous field). */
    private static final Pattern FIELD = Pattern.compile("\\Gflow\\.(packets|bytes|duration|payloads):([^,]*),\\s*");

    private FlowFields() {
    }

    /** Whether the text starts with a flow field. */
    static boolean present(String traffic) {
        return FIELD.matcher(traffic).lookingAt();
    }

    /** The text after its leading flow fields (the text itself when it has none). */
    static String strip(String traffic) {
        if (!traffic.startsWith("flow.")) {
            return traffic;
        }
        Matcher m = FIELD.matcher(traffic);
        int end = 0;
        while (m.find()) {
            end = m.end();
        }
        return traffic.substring(end);
    }

    /** Writes the {@value #SIZE} slots of {@code traffic} into {@code row} from {@code offset}. */
    static void extract(String traffic, float[] row, int offset) {
        Arrays.fill(row, offset, offset + SIZE, Float.NaN);
        Matcher m = FIELD.matcher(traffic);
        while (m.find()) {
            String[] values = m.group(2).trim().split(" +");
            switch (m.group(1)) {
                case "packets" -> pair(values, row, offset);
                case "bytes" -> pair(values, row, offset + 2);
                case "duration" -> row[offset + 4] = number(values[0]);
                default -> {
                    // split(" +") of a trimmed value: no empty element but the one of an empty value
                    int n = values[0].isEmpty() ? 0 : Math.min(PACKETS, values.length);
                    for (int i = 0; i < n; i++) {
                        char direction = values[i].charAt(0);
                        row[offset + 5 + 2 * i] = direction == '>' ? 1 : direction == '<' ? -1 : Float.NaN;
                        row[offset + 6 + 2 * i] = number(values[i].substring(1));
                    }
                }
            }
        }
    }

    private static void pair(String[] values, float[] row, int at) {
        row[at] = number(values[0]);
        row[at + 1] = values.length > 1 ? number(values[1]) : Float.NaN;
    }

    private static float number(String text) {
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }
}
