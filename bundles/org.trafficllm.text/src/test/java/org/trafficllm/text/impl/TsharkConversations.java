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
        Path out = Files.createTempFile("tshark-conversations", ".tsv");
        try {
            Process p = new ProcessBuilder("tshark", "-n", "-r", capture.toString(), "-Y", filter + " && " + transport,
                    "-T", "fields", "-E", "separator=/t", "-e", "ip.src", "-e", "ipv6.src", "-e", transport + ".srcport",
                    "-e", "ip.dst", "-e", "ipv6.dst", "-e", transport + ".dstport", "-e", field)
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tshark timed out on " + capture);
            }
            Map<String, String> values = new HashMap<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                String[] v = line.split("\t", -1);
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
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static String key(FlowKeyDTO k) {
        return key(k.clientAddress, k.clientPort, k.serverAddress, k.serverPort);
    }

    /** A conversation's two end points in a fixed order, addresses written one way (literals only, no look-up). */
    static String key(String a, int pa, String b, int pb) {
        try {
            String x = InetAddress.getByName(a).getHostAddress() + "/" + pa;
            String y = InetAddress.getByName(b).getHostAddress() + "/" + pb;
            return x.compareTo(y) < 0 ? x + " " + y : y + " " + x;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String last(String commaList) {
        String[] parts = commaList.split(",");
        return parts[parts.length - 1];
    }
}
