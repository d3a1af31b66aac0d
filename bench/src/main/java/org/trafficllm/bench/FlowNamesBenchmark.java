package org.trafficllm.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.bench.FlowPasses.Pass;
import org.trafficllm.text.impl.FlowBytesNamesRenderer;
import org.trafficllm.text.impl.FlowBytesRenderer;

/**
 * What the names of {@code flow-bytes-names} cost: flows per second for read + flow
 * assembly (10 packets kept per flow) + rendering of the whole nDPI corpus on one thread,
 * every identifier masked, once with {@code flow-bytes} and once with
 * {@code flow-bytes-names}, and for rendering alone over the same flows held in memory;
 * wall time and the thread's CPU time; and how many flows got a name, by field. The peer
 * is tshark printing the same three fields (TLS server name, HTTP host, DNS query name)
 * for the same files, one process per file, as TrafficLLM ran it. Writes its section of
 * BENCHMARKS.md.
 *
 * <p>Arguments: the data root (or {@code TRAFFICLLM_DATA}) and the file to write
 * (BENCHMARKS.md).
 */
public final class FlowNamesBenchmark {
    private static final String SECTION = "## Flow names: flow-bytes-names against flow-bytes and tshark";
    private static final String SKIP = "flownames.benchmark.skip";
    /** The fields a name is written as, in the order of the table and of tshark's columns. */
    private static final List<String> FIELDS = List.of("tls.handshake.extensions_server_name", "http.host",
            "dns.qry.name");
    private static final String[] LABELS = {"tls", "http", "dns"};
    private static final String TSHARK_FILTER = "tls.handshake.type == 1 || http.request || dns";

    private FlowNamesBenchmark() {
    }

    /** tshark's rows with a value of any field, those with a value by field, and its wall time. */
    private record Peer(long rows, long[] byField, long nanos) {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : System.getenv("TRAFFICLLM_DATA"));
        Path output = Path.of(args.length > 1 ? args[1] : "BENCHMARKS.md");
        List<Path> files = Corpus.captures(data.resolve("ndpi/pcap"));
        System.out.printf("%d capture files%n", files.size());

        Comparison<Pass> names = new FlowPasses(files, FIELDS).measure(TrafficRendererService.FLOW_BYTES,
                new FlowBytesRenderer(), TrafficRendererService.FLOW_BYTES_NAMES, new FlowBytesNamesRenderer());

        long start = System.nanoTime();
        long[] rows = new long[FIELDS.size() + 1];
        for (Path file : files) {
            long[] ofFile = tshark(file);
            for (int i = 0; i < rows.length; i++) {
                rows[i] += ofFile[i];
            }
        }
        Peer tshark = new Peer(rows[0], Arrays.copyOfRange(rows, 1, rows.length), System.nanoTime() - start);
        long startupNanos = Tshark.startupNanos(files, FlowNamesBenchmark::tshark);

        String section = section(files.size(), names, tshark, startupNanos);
        System.out.println(section);
        BenchmarksFile.replaceSection(output, SECTION, section);
    }

    /**
     * tshark's rows for one file: at index 0 those with a value of any field, then those
     * with a value of each field of {@link #FIELDS}.
     */
    private static long[] tshark(Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-Y", TSHARK_FILTER,
                "-T", "fields"));
        for (String field : FIELDS) {
            command.add("-e");
            command.add(field);
        }
        long[] counts = new long[FIELDS.size() + 1];
        Tshark.run(command, file, lines -> {
            lines.forEach(line -> {
                String[] values = line.split("\t", -1);
                boolean any = false;
                for (int i = 0; i < FIELDS.size() && i < values.length; i++) {
                    if (!values[i].isEmpty()) {
                        counts[i + 1]++;
                        any = true;
                    }
                }
                if (any) {
                    counts[0]++;
                }
            });
            return null;
        });
        return counts;
    }

    private static String section(int files, Comparison<Pass> names, Peer tshark, long startupNanos)
            throws IOException, InterruptedException {
        Pass plain = names.whole().get(0).totals();
        Measured<Pass> named = names.whole().get(1);
        long flows = named.totals().flows();
        long steadyNanos = Tshark.lessStartup(tshark.nanos(), startupNanos, files);
        double tsharkRate = flows / (tshark.nanos() / 1e9);
        StringBuilder sb = new StringBuilder(BenchmarksFile.heading(SECTION, FlowNamesBenchmark.class, SKIP));
        sb.append("Input: the nDPI corpus (`ndpi/pcap`, ").append(files).append(" files) read into ")
                .append(String.format("%,d", flows)).append(" bidirectional flows by the capture bundle's flow service ")
                .append("(`FlowAssemblyService` over `PcapCaptureService`, ").append(FlowPasses.PACKETS_PER_FLOW)
                .append(" packets kept per flow), ").append(String.format("%,d", named.totals().rendered()))
                .append(" of them rendered; every identifier masked (MAC, IP, port, time); one thread, one render ")
                .append("session per file. Our times are the median of ").append(Measured.RUNS)
                .append(" runs after ").append(FlowPasses.WARMUP)
                .append(" warm-up passes, the two renderers alternating run by run.\n\n");
        sb.append("| pipeline | wall time | flows/s | CPU time of the thread | flows/s on CPU time "
                + "| flows or rows with a name: all (tls / http / dns) |\n");
        sb.append("|---|---|---|---|---|---|\n");
        sb.append(names.rows("read + flows + render", "the same flows held in memory", Pass::flows,
                p -> p.namedTotal() == 0 ? "—" : byField(p.namedTotal(), p.named()) + " flows"));
        sb.append(String.format("| `tshark -n -Y '%s' -T fields` (the three fields), one process per file, sequential "
                + "| %.1f s | %,.0f | | | %s rows |%n", TSHARK_FILTER.replace("||", "\\|\\|"), tshark.nanos() / 1e9,
                tsharkRate, byField(tshark.rows(), tshark.byField())));
        sb.append(String.format("| the same tshark runs less start-up (%.0f ms per process, measured on the smallest "
                + "file) | %s | | | |%n", startupNanos / 1e6, Tshark.lessStartupCells(steadyNanos, flows)));
        sb.append('\n').append(names.cost("names", "flows", "in the whole pipeline")).append(" Wall time also counts "
                + "the time the thread waited for a core while other work ran, the CPU time does not: on a shared "
                + "machine it is the steadier measure of what the names cost.\n");
        long added = named.totals().characters() - plain.characters();
        sb.append(String.format("The names add %,d characters to the corpus's flow-bytes texts (%,d): %.1f per flow, "
                + "%.1f per named flow.%n", added, plain.characters(), added / (double) flows,
                added / (double) Math.max(1, named.totals().namedTotal())));
        sb.append(String.format("%nAgainst tshark: `flow-bytes-names` reads, assembles and names **%.0f×** as many flows "
                + "per second as tshark reads the same files as TrafficLLM ran it (%s); tshark's flows/s is our flow "
                + "count over its wall time, since it prints packets, not flows.%n",
                named.rate(flows) / tsharkRate, Tshark.lessStartupRatio(named.rate(flows), steadyNanos, flows)));
        sb.append("\nThe counts differ by design. tshark reassembles TCP and reads every packet of a file, and prints "
                + "one row per packet that passes its filter (every DNS query and response, every HTTP request, every "
                + "ClientHello); we read the first ").append(FlowPasses.PACKETS_PER_FLOW)
                .append(" packets of each flow and name the flow once. With IP addresses masked we leave out names "
                + "that spell an address (IPv4 literals, reverse look-ups) and multicast DNS names of single hosts, which tshark prints; LLMNR and NetBIOS "
                + "names we never read. QUIC: we decrypt the Initials of v1, v2 and draft-29 only. tshark decrypts "
                + "more (other drafts, mvfst, Google's T050/T051; the text bundle's README, \"Flow names\", lists "
                + "what we leave out), so its TLS column holds names of flows we leave unnamed. Google's gQUIC "
                + "(Q0xx: in clear up to Q046, decrypted by tshark for Q050) carries its name as a gQUIC tag "
                + "(`gquic.tag.sni`), which neither command here prints.\n");
        return sb.toString();
    }

    private static String byField(long total, long[] byField) {
        StringBuilder sb = new StringBuilder(String.format("%,d (", total));
        for (int i = 0; i < byField.length; i++) {
            sb.append(i == 0 ? "" : " / ").append(LABELS[i]).append(' ').append(String.format("%,d", byField[i]));
        }
        return sb.append(')').toString();
    }
}
