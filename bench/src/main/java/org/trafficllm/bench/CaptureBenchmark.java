package org.trafficllm.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.PcapCaptureService;
import org.trafficllm.text.impl.TrafficWordsFields;
import org.trafficllm.text.impl.TrafficWordsRenderer;

/**
 * Packets per second for read + dissect + traffic-words rendering over the whole
 * nDPI corpus on one thread, against tshark printing the same fields for the same
 * files, one tshark process per file as TrafficLLM ran it. Writes its section of
 * BENCHMARKS.md.
 */
public final class CaptureBenchmark {
    private static final String SECTION = "## Capture: read + dissect + traffic words vs tshark";
    private static final int RUNS = 5;

    private CaptureBenchmark() {
    }

    /** Totals of one pass over the corpus. */
    private record Pass(long packets, long rendered, long characters, long nanos) {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : System.getenv("TRAFFICLLM_DATA"));
        Path output = Path.of(args.length > 1 ? args[1] : "BENCHMARKS.md");
        List<Path> files = Corpus.captures(data.resolve("ndpi/pcap"));
        System.out.printf("%d capture files%n", files.size());

        ours(files);
        long[] times = new long[RUNS];
        Pass pass = null;
        for (int i = 0; i < RUNS; i++) {
            pass = ours(files);
            times[i] = pass.nanos();
            System.out.printf("run %d: %d packets in %.3f s%n", i + 1, pass.packets(), pass.nanos() / 1e9);
        }
        Arrays.sort(times);
        long median = times[RUNS / 2];
        double ourRate = pass.packets() / (median / 1e9);

        long tsharkStart = System.nanoTime();
        long tsharkLines = 0;
        for (Path file : files) {
            tsharkLines += tshark(file);
        }
        long tsharkNanos = System.nanoTime() - tsharkStart;
        long startupNanos = Tshark.startupNanos(files, CaptureBenchmark::tshark);
        double tsharkRate = pass.packets() / (tsharkNanos / 1e9);

        String section = section(files.size(), pass, median, ourRate, tsharkNanos, tsharkLines, tsharkRate,
                startupNanos);
        System.out.println(section);
        BenchmarksFile.replaceSection(output, SECTION, section);
    }

    private static Pass ours(List<Path> files) {
        PcapCaptureService captures = new PcapCaptureService();
        TrafficWordsRenderer renderer = new TrafficWordsRenderer();
        StringBuilder sb = new StringBuilder(4096);
        long[] counts = new long[3];
        long start = System.nanoTime();
        for (Path file : files) {
            PacketRenderSession session = renderer.open(new RenderOptions());
            try {
                captures.read(file, p -> {
                    counts[0]++;
                    sb.setLength(0);
                    if (session.render(p, sb)) {
                        counts[1]++;
                        counts[2] += sb.length();
                    }
                });
            } catch (CaptureException e) {
                // Damaged files end early, as they do for tshark; the packets before the damage were counted.
                System.out.println(e.getMessage());
            }
        }
        return new Pass(counts[0], counts[1], counts[2], System.nanoTime() - start);
    }

    private static long tshark(Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-E", "separator=/t", "-Y", "tcp or udp"));
        for (String field : TrafficWordsFields.NAMES) {
            command.add("-e");
            command.add(TrafficWordsFields.TSHARK_4_NAMES.getOrDefault(field, field));
        }
        return Tshark.run(command, file, lines -> lines.count());
    }

    private static String section(int files, Pass pass, long median, double ourRate, long tsharkNanos, long tsharkLines,
            double tsharkRate, long startupNanos) throws IOException, InterruptedException {
        long steadyNanos = Tshark.lessStartup(tsharkNanos, startupNanos, files);
        StringBuilder sb = new StringBuilder();
        sb.append(SECTION).append("\n\n");
        sb.append("Command: `mvn -B -Pbench -pl bench -am verify -DskipTests` (main class `org.trafficllm.bench.CaptureBenchmark`).\n\n");
        sb.append(Machine.describe())
                .append(" (the machine is shared with other builds; both pipelines ran under the same load).\n\n");
        sb.append("Input: the nDPI corpus (`ndpi/pcap`, ").append(files).append(" files, ").append(pass.packets())
                .append(" packets, ").append(pass.rendered()).append(" of them TCP/UDP and rendered).\n\n");
        sb.append("| pipeline | wall time | packets/s |\n|---|---|---|\n");
        sb.append(String.format("| TrafficLLM for the JVM: libpcap read + dissect + traffic words, one thread (median of %d runs after a warm-up) | %.3f s | %,.0f |%n",
                RUNS, median / 1e9, ourRate));
        sb.append(String.format("| `tshark -n -T fields` (73 fields, `-Y 'tcp or udp'`), one process per file, sequential | %.1f s | %,.0f |%n",
                tsharkNanos / 1e9, tsharkRate));
        sb.append(String.format("| the same tshark runs less start-up (%.0f ms per process, measured on the smallest file) | %s |%n",
                startupNanos / 1e6, Tshark.lessStartupCells(steadyNanos, pass.packets())));
        sb.append(String.format("%nRatio: **%.0f×** tshark's packets/s as TrafficLLM ran it (%s). ",
                ourRate / tsharkRate, Tshark.lessStartupRatio(ourRate, steadyNanos, pass.packets())));
        sb.append(String.format("tshark printed %d rows, we rendered %d texts (%,d characters).%n", tsharkLines,
                pass.rendered(), pass.characters()));
        return sb.toString();
    }
}
