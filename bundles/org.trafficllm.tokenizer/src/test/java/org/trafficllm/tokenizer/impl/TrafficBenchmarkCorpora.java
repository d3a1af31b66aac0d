package org.trafficllm.tokenizer.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;
import org.trafficllm.text.impl.FlowBytesRenderer;
import org.trafficllm.text.impl.HttpRequestText;
import org.trafficllm.text.impl.TrafficWordsRenderer;

/**
 * The benchmark's traffic text, rendered by the project's own renderers, and split by capture
 * file: the extension never sees a packet of a capture it is measured on. Natural-language
 * instructions are measured too, to show what the extension costs on text it was not made for.
 */
final class TrafficBenchmarkCorpora {
    /** nDPI captures whose name's CRC-32 is divisible by this are held out. */
    private static final int HELD_OUT_ONE_IN = 5;

    private final PcapCaptureService captures = new PcapCaptureService();
    private final FlowAssemblyService flowAssembly = new FlowAssemblyService(captures);
    private final RenderOptions options = new RenderOptions();
    private final List<String> unreadable = new ArrayList<>();

    /** @param masked whether every identifier (MAC, IP, port, absolute time) is replaced by a placeholder */
    TrafficBenchmarkCorpora(boolean masked) {
        options.mask = masked ? EnumSet.allOf(MaskedIdentifier.class) : EnumSet.noneOf(MaskedIdentifier.class);
    }

    /** Texts rendered from a set of capture files. */
    private record Rendered(List<String> packets, List<String> flows, int files) {
    }

    List<TokenCountBenchmarkTest.Corpus> all() throws IOException {
        Path data = SharedFiles.data();
        List<Path> train = new ArrayList<>();
        List<Path> test = new ArrayList<>();
        try (Stream<Path> files = Files.list(data.resolve("ndpi/pcap"))) {
            files.filter(f -> f.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted()
                    .forEach(f -> (heldOut(f) ? test : train).add(f));
        }
        Rendered ndpiTrain = render(train);
        Rendered ndpiTest = render(test);
        Rendered ustc = render(List.of(data.resolve("ustc-tfc2016/pcap/Benign/Facetime.pcap"),
                data.resolve("ustc-tfc2016/pcap/Malware/Tinba.pcap")));
        String ndpiSplit = "nDPI captures by file: " + ndpiTrain.files() + " train, " + ndpiTest.files()
                + " test (CRC-32 of the file name % " + HELD_OUT_ONE_IN + " == 0)";
        String ustcSplit = "USTC-TFC2016 Facetime.pcap and Tinba.pcap, measured only";
        List<TokenCountBenchmarkTest.Corpus> out = new ArrayList<>();
        out.add(new TokenCountBenchmarkTest.Corpus("nDPI packets, traffic words", "packet", ndpiSplit,
                ndpiTrain.packets(), ndpiTest.packets()));
        out.add(new TokenCountBenchmarkTest.Corpus("nDPI flows, flow bytes", "flow", ndpiSplit, ndpiTrain.flows(),
                ndpiTest.flows()));
        out.add(new TokenCountBenchmarkTest.Corpus("USTC packets, traffic words", "packet", ustcSplit, List.of(),
                ustc.packets()));
        out.add(new TokenCountBenchmarkTest.Corpus("USTC flows, flow bytes", "flow", ustcSplit, List.of(),
                ustc.flows()));
        out.add(new TokenCountBenchmarkTest.Corpus("CSIC 2010 HTTP requests, TrafficLLM JSON", "request",
                "normalTrafficTraining for training; the first 2000 of normalTrafficTest and of anomalousTrafficTest"
                        + " measured", httpJson(TextSamples.httpRequests("normalTrafficTraining.txt.gz", 20000)),
                httpJson(Stream.concat(TextSamples.httpRequests("normalTrafficTest.txt.gz", 2000).stream(),
                        TextSamples.httpRequests("anomalousTrafficTest.txt.gz", 2000).stream()).toList())));
        out.add(new TokenCountBenchmarkTest.Corpus("TrafficLLM instructions (natural language)", "instruction",
                "the rows the natural-language base did not learn from, measured only", List.of(),
                TextSamples.instructionSplit().get(1)));
        return out;
    }

    /** Why captures stopped early or requests did not parse; what they delivered before is kept. */
    List<String> unreadable() {
        return unreadable;
    }

    private static boolean heldOut(Path file) {
        CRC32 crc = new CRC32();
        crc.update(file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue() % HELD_OUT_ONE_IN == 0;
    }

    private Rendered render(List<Path> files) {
        List<String> packets = new ArrayList<>();
        List<String> flows = new ArrayList<>();
        StringBuilder text = new StringBuilder(4096);
        for (Path file : files) {
            PacketRenderSession packetSession = new TrafficWordsRenderer().open(options);
            FlowRenderSession flowSession = new FlowBytesRenderer().open(options);
            try {
                captures.read(file, packet -> {
                    text.setLength(0);
                    if (packetSession.render(packet, text)) {
                        packets.add(text.toString());
                    }
                });
            } catch (CaptureException e) {
                unreadable.add("packets of " + e.getMessage());
            }
            try {
                flowAssembly.readFlows(file, null, new FlowTableOptions(), flow -> {
                    text.setLength(0);
                    if (flowSession.render(flow, text)) {
                        flows.add(text.toString());
                    }
                });
            } catch (CaptureException e) {
                unreadable.add("flows of " + e.getMessage());
            }
        }
        return new Rendered(packets, flows, files.size());
    }

    private List<String> httpJson(List<String> requests) {
        HttpRequestText http = new HttpRequestText();
        List<String> out = new ArrayList<>(requests.size());
        for (String raw : requests) {
            try {
                out.add(http.render(http.parse(raw), options));
            } catch (TextFormatException e) {
                unreadable.add("HTTP request: " + e.getMessage());
            }
        }
        return out;
    }

    /** CPU model and core count, from the running machine. */
    static String machine() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            model = "unknown CPU (" + e.getMessage() + ")";
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version");
    }
}
