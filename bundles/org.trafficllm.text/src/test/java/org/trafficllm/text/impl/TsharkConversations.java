package org.trafficllm.text.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.trafficllm.api.capture.dto.FlowKeyDTO;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;

/**
 * What tshark 4.0 reads per conversation, for comparisons with our flows: the first
 * non-empty value of a field among the packets a display filter keeps, keyed by the
 * conversation's two end points.
 */
final class TsharkConversations {
    private static final FlowAssemblyService FLOWS = new FlowAssemblyService(new PcapCaptureService());

    private TsharkConversations() {
    }

    /** The flows of a capture with as many kept packets as the renderers use. */
    static List<FlowView> flows(Path capture) throws Exception {
        List<FlowView> all = new ArrayList<>();
        FlowTableOptions options = new FlowTableOptions();
        options.packetsPerFlow = new RenderOptions().packetsPerFlow;
        FLOWS.readFlows(capture, null, options, all::add);
        return all;
    }

    /**
     * The first value of {@code field} per conversation of {@code transport} (tcp or udp)
     * among the packets {@code filter} keeps, lower case, a host's {@code :port} dropped.
     */
    static Map<String, String> firstValues(Path capture, String filter, String transport, String field)
            throws IOException, InterruptedException {
        Map<String, String> values = new HashMap<>();
        for (String[] v : rows(capture, filter + " && " + transport, "ip.src", "ipv6.src", transport + ".srcport",
                "ip.dst", "ipv6.dst", transport + ".dstport", field)) {
            if (v.length < 7 || v[2].isEmpty() || v[5].isEmpty() || v[6].isEmpty()) {
                continue;
            }
            // tunnelled packets list outer and inner addresses: the inner (last) ones are the flow's
            String src = last(v[1].isEmpty() ? v[0] : v[1]);
            String dst = last(v[4].isEmpty() ? v[3] : v[4]);
            String value = v[6].split(",")[0].toLowerCase(Locale.ROOT);
            int colon = value.indexOf(':');
            values.putIfAbsent(key(src, Integer.parseInt(last(v[2])), dst, Integer.parseInt(last(v[5]))),
                    colon >= 0 && !value.startsWith("[") ? value.substring(0, colon) : value);
        }
        return values;
    }

    /** tshark's {@code -T fields} rows for the packets {@code filter} keeps, one array of the fields' columns each. */
    static List<String[]> rows(Path capture, String filter, String... fields) throws IOException, InterruptedException {
        return rows(capture, filter, ',', fields);
    }

    /** As {@link #rows(Path, String, String...)}, the values of a repeated field joined by {@code aggregator}. */
    static List<String[]> rows(Path capture, String filter, char aggregator, String... fields)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-Y", filter, "-T",
                "fields", "-E", "separator=/t", "-E", "aggregator=" + aggregator));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        Path out = Files.createTempFile("tshark-fields", ".tsv");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tshark timed out on " + capture);
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                rows.add(line.split("\t", -1));
            }
            return rows;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static String key(FlowKeyDTO k) {
        return key(k.clientAddress, k.clientPort, k.serverAddress, k.serverPort);
    }

    /** A conversation's two end points in a fixed order, addresses written one way (literals only, no look-up). */
    static String key(String a, int pa, String b, int pb) {
        String x = endPoint(a, pa);
        String y = endPoint(b, pb);
        return x.compareTo(y) < 0 ? x + " " + y : y + " " + x;
    }

    /** One end point, {@code address/port}, the address written one way (literals only, no look-up). */
    static String endPoint(String address, int port) {
        try {
            return InetAddress.getByName(address).getHostAddress() + "/" + port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last item of tshark's comma-separated list (the innermost of tunnelled headers). */
    static String last(String commaList) {
        String[] parts = commaList.split(",");
        return parts[parts.length - 1];
    }
}
