package org.trafficllm.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;

import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.FlowHandler;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;
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
    private static final String COMMAND = "mvn -B -o -Pbench -pl bench -am verify -DskipTests -Dcapture.benchmark.skip=true";
    private static final int RUNS = 5;
    /**
     * Untimed passes of each renderer first. One pass takes about 0.1 s; in a trial of 25
     * passes without warm-up the thread's CPU time per pass kept falling (JIT) up to about
     * the 20th.
     */
    private static final int WARMUP = 20;
    private static final int PACKETS_PER_FLOW = 10;
    /** The fields a name is written as, in the order of the table and of tshark's columns. */
    private static final List<String> FIELDS = List.of("tls.handshake.extensions_server_name", "http.host",
            "dns.qry.name");
    private static final String[] LABELS = {"tls", "http", "dns"};
    private static final String TSHARK_FILTER = "tls.handshake.type == 1 || http.request || dns";

    private FlowNamesBenchmark() {
    }

    /**
     * Totals of one pass: flows read, rendered, characters written, flows named by field,
     * wall time and the CPU time of the benchmark's thread.
     */
    private record Pass(long flows, long rendered, long characters, long[] named, long nanos, long cpuNanos) {
        long namedTotal() {
            return Arrays.stream(named).sum();
        }
    }

    /** Median wall time and median thread CPU time of the timed runs, and the totals of the last one. */
    private record Measured(long median, long medianCpu, Pass pass) {
        double rate() {
            return pass.flows() / (median / 1e9);
        }
    }

    /** tshark's rows with a value of any field, those with a value by field, and its wall time. */
    private record Peer(long rows, long[] byField, long nanos) {
    }

    /** Counts of one pass, filled as flows are rendered. */
    private static final class Tally {
        long flows;
        long rendered;
        long characters;
        final long[] named = new long[FIELDS.size()];

        void render(FlowRenderSession session, FlowView flow, StringBuilder sb) {
            flows++;
            sb.setLength(0);
            if (session.render(flow, sb)) {
                rendered++;
                characters += sb.length();
                for (int i = 0; i < FIELDS.size(); i++) {
                    if (startsWithName(sb, FIELDS.get(i))) {
                        named[i]++;
                        break;
                    }
                }
            }
        }

        /** True when the text starts with {@code field: }, as a named flow's text does. */
        private static boolean startsWithName(CharSequence text, String field) {
            int n = field.length();
            if (text.length() < n + 2 || text.charAt(n) != ':' || text.charAt(n + 1) != ' ') {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (text.charAt(i) != field.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        Pass pass(Stopwatch watch) {
            return new Pass(flows, rendered, characters, named, watch.wallNanos(), watch.cpuNanos());
        }
    }

    /**
     * Wall time and the current thread's CPU time since it was made. On a shared machine the
     * CPU time leaves out the time the thread waited for a core.
     */
    private static final class Stopwatch {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final long wall = System.nanoTime();
        private final long cpu = THREADS.getCurrentThreadCpuTime();

        long wallNanos() {
            return System.nanoTime() - wall;
        }

        long cpuNanos() {
            return THREADS.getCurrentThreadCpuTime() - cpu;
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : System.getenv("TRAFFICLLM_DATA"));
        Path output = Path.of(args.length > 1 ? args[1] : "BENCHMARKS.md");
        List<Path> files = Corpus.captures(data.resolve("ndpi/pcap"));
        System.out.printf("%d capture files%n", files.size());

        FlowRenderer bytes = new FlowBytesRenderer();
        FlowRenderer names = new FlowBytesNamesRenderer();
        RenderOptions options = new RenderOptions();
        options.mask = EnumSet.allOf(MaskedIdentifier.class);

        // Whole pipeline: read + flows + render.
        Measured[] whole = alternate("whole pipeline", bytes, names, r -> pipeline(files, r, options));
        Measured plain = whole[0];
        Measured named = whole[1];

        // Rendering alone, over the same flows held in memory.
        List<List<FlowView>> flows = flowsByFile(files);
        Measured[] render = alternate("render only", bytes, names, r -> renderOnly(flows, r, options));
        Measured plainRender = render[0];
        Measured namedRender = render[1];

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

        String section = section(files.size(), plain, named, plainRender, namedRender, tshark, startupNanos);
        System.out.println(section);
        BenchmarksFile.replaceSection(output, SECTION, section);
    }

    /**
     * {@link #WARMUP} passes, then {@link #RUNS} measured ones of {@code pass} with each
     * renderer, the two alternating run by run so that a change of the machine's load
     * touches both alike; the median of each.
     */
    private static Measured[] alternate(String what, FlowRenderer first, FlowRenderer second,
            Function<FlowRenderer, Pass> pass) {
        for (int i = 0; i < WARMUP; i++) {
            pass.apply(first);
            pass.apply(second);
        }
        Pass[][] runs = new Pass[2][RUNS];
        for (int i = 0; i < RUNS; i++) {
            runs[0][i] = pass.apply(first);
            runs[1][i] = pass.apply(second);
            System.out.printf("%s, run %d: %d flows, flow-bytes %s, flow-bytes-names %s%n", what, i + 1,
                    runs[0][i].flows(), times(runs[0][i]), times(runs[1][i]));
        }
        return new Measured[] {measured(runs[0]), measured(runs[1])};
    }

    private static String times(Pass pass) {
        return String.format("%.3f s (CPU %.3f s)", pass.nanos() / 1e9, pass.cpuNanos() / 1e9);
    }

    private static Measured measured(Pass[] runs) {
        long[] times = Arrays.stream(runs).mapToLong(Pass::nanos).sorted().toArray();
        long[] cpu = Arrays.stream(runs).mapToLong(Pass::cpuNanos).sorted().toArray();
        return new Measured(times[RUNS / 2], cpu[RUNS / 2], runs[RUNS - 1]);
    }

    private static FlowTableOptions tableOptions() {
        FlowTableOptions table = new FlowTableOptions();
        table.packetsPerFlow = PACKETS_PER_FLOW;
        return table;
    }

    /** Reads every file into flows and renders each flow as it ends; one render session per file. */
    private static Pass pipeline(List<Path> files, FlowRenderer renderer, RenderOptions options) {
        FlowAssemblyService flows = new FlowAssemblyService(new PcapCaptureService());
        FlowTableOptions table = tableOptions();
        StringBuilder sb = new StringBuilder(4096);
        Tally tally = new Tally();
        Stopwatch watch = new Stopwatch();
        for (Path file : files) {
            FlowRenderSession session = renderer.open(options);
            read(flows, file, table, flow -> tally.render(session, flow, sb));
        }
        return tally.pass(watch);
    }

    /** The flows of every file, kept for {@link #renderOnly}. */
    private static List<List<FlowView>> flowsByFile(List<Path> files) {
        FlowAssemblyService flows = new FlowAssemblyService(new PcapCaptureService());
        FlowTableOptions table = tableOptions();
        List<List<FlowView>> all = new ArrayList<>();
        for (Path file : files) {
            List<FlowView> ofFile = new ArrayList<>();
            read(flows, file, table, ofFile::add);
            all.add(ofFile);
        }
        return all;
    }

    private static Pass renderOnly(List<List<FlowView>> flows, FlowRenderer renderer, RenderOptions options) {
        StringBuilder sb = new StringBuilder(4096);
        Tally tally = new Tally();
        Stopwatch watch = new Stopwatch();
        for (List<FlowView> ofFile : flows) {
            FlowRenderSession session = renderer.open(options);
            for (FlowView flow : ofFile) {
                tally.render(session, flow, sb);
            }
        }
        return tally.pass(watch);
    }

    private static void read(FlowAssemblyService flows, Path file, FlowTableOptions table, FlowHandler handler) {
        try {
            flows.readFlows(file, null, table, handler);
        } catch (CaptureException e) {
            // Damaged files end early, as they do for tshark; the flows before the damage were handed on.
            System.out.println(e.getMessage());
        }
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

    private static String section(int files, Measured plain, Measured named, Measured plainRender,
            Measured namedRender, Peer tshark, long startupNanos) throws IOException, InterruptedException {
        long flows = named.pass().flows();
        long steadyNanos = Tshark.lessStartup(tshark.nanos(), startupNanos, files);
        double tsharkRate = flows / (tshark.nanos() / 1e9);
        StringBuilder sb = new StringBuilder();
        sb.append(SECTION).append("\n\n");
        sb.append("Command (this benchmark alone): `").append(COMMAND).append("` (main class `")
                .append(FlowNamesBenchmark.class.getName()).append("`; without `-Dcapture.benchmark.skip=true` ")
                .append("the `bench` profile runs the capture benchmark above first and rewrites its section).\n\n");
        sb.append(Machine.describe())
                .append(" (the machine is shared with other work; every pipeline ran under the same load).\n\n");
        sb.append("Input: the nDPI corpus (`ndpi/pcap`, ").append(files).append(" files) read into ")
                .append(String.format("%,d", flows)).append(" bidirectional flows by the capture bundle's flow service ")
                .append("(`FlowAssemblyService` over `PcapCaptureService`, ").append(PACKETS_PER_FLOW)
                .append(" packets kept per flow), ").append(String.format("%,d", named.pass().rendered()))
                .append(" of them rendered; every identifier masked (MAC, IP, port, time); one thread, one render ")
                .append("session per file. Our times are the median of ").append(RUNS)
                .append(" runs after ").append(WARMUP)
                .append(" warm-up passes, the two renderers alternating run by run.\n\n");
        sb.append("| pipeline | wall time | flows/s | CPU time of the thread | flows/s on CPU time "
                + "| flows or rows with a name: all (tls / http / dns) |\n");
        sb.append("|---|---|---|---|---|---|\n");
        sb.append(row("`flow-bytes`: read + flows + render", plain, "—"));
        sb.append(row("`flow-bytes-names`: read + flows + render", named,
                byField(named.pass().namedTotal(), named.pass().named()) + " flows"));
        sb.append(row("`flow-bytes`: render only (the same flows held in memory)", plainRender, "—"));
        sb.append(row("`flow-bytes-names`: render only", namedRender,
                byField(namedRender.pass().namedTotal(), namedRender.pass().named()) + " flows"));
        sb.append(String.format("| `tshark -n -Y '%s' -T fields` (the three fields), one process per file, sequential "
                + "| %.1f s | %,.0f | | | %s rows |%n", TSHARK_FILTER.replace("||", "\\|\\|"), tshark.nanos() / 1e9,
                tsharkRate, byField(tshark.rows(), tshark.byField())));
        sb.append(String.format("| the same tshark runs less start-up (%.0f ms per process, measured on the smallest "
                + "file) | %s | | | |%n", startupNanos / 1e6, Tshark.lessStartupCells(steadyNanos, flows)));
        sb.append(String.format("%nCost of the names, on the CPU time of the thread: `flow-bytes-names` runs at **%.2f×** "
                + "the flows/s of `flow-bytes` in the whole pipeline (%s), and at %.2f× when rendering alone (%s). "
                + "On wall time the same runs give %.2f× and %.2f×. Wall time also counts the time the thread waited "
                + "for a core while other work ran, the CPU time does not: on a shared machine it is the steadier "
                + "measure of what the names cost.%n",
                plain.medianCpu() / (double) named.medianCpu(), cost(plain, named),
                plainRender.medianCpu() / (double) namedRender.medianCpu(), cost(plainRender, namedRender),
                named.rate() / plain.rate(), namedRender.rate() / plainRender.rate()));
        long added = named.pass().characters() - plain.pass().characters();
        sb.append(String.format("The names add %,d characters to the corpus's flow-bytes texts (%,d): %.1f per flow, "
                + "%.1f per named flow.%n", added, plain.pass().characters(), added / (double) flows,
                added / (double) Math.max(1, named.pass().namedTotal())));
        sb.append(String.format("%nAgainst tshark: `flow-bytes-names` reads, assembles and names **%.0f×** as many flows "
                + "per second as tshark reads the same files as TrafficLLM ran it (%s); tshark's flows/s is our flow "
                + "count over its wall time, since it prints packets, not flows.%n",
                named.rate() / tsharkRate, Tshark.lessStartupRatio(named.rate(), steadyNanos, flows)));
        sb.append("\nThe counts differ by design. tshark reassembles TCP and reads every packet of a file, and prints "
                + "one row per packet that passes its filter (every DNS query and response, every HTTP request, every "
                + "ClientHello); we read the first ").append(PACKETS_PER_FLOW).append(" packets of each flow and name "
                + "the flow once. With IP addresses masked we leave out names that spell an address (IPv4 literals, "
                + "reverse look-ups) and multicast DNS names of single hosts, which tshark prints; LLMNR and NetBIOS "
                + "names we never read. QUIC: we decrypt the Initials of v1, v2 and draft-29 only. tshark decrypts "
                + "more (other drafts, mvfst, Google's T050/T051; the text bundle's README, \"Flow names\", lists "
                + "what we leave out), so its TLS column holds names of flows we leave unnamed. Google's gQUIC "
                + "(Q0xx: in clear up to Q046, decrypted by tshark for Q050) carries its name as a gQUIC tag "
                + "(`gquic.tag.sni`), which neither command here prints.\n");
        return sb.toString();
    }

    /** A table row of ours: medians of wall time and of thread CPU time, and the flows per second of each. */
    private static String row(String pipeline, Measured m, String names) {
        return String.format("| %s | %.3f s | %,.0f | %.3f s | %,.0f | %s |%n", pipeline, m.median() / 1e9, m.rate(),
                m.medianCpu() / 1e9, m.pass().flows() / (m.medianCpu() / 1e9), names);
    }

    /** What {@code named} costs over {@code plain}, in CPU time and in wall time. */
    private static String cost(Measured plain, Measured named) {
        return String.format("%+.1f%% CPU time, %+.1f%% wall time",
                100.0 * (named.medianCpu() - plain.medianCpu()) / plain.medianCpu(),
                100.0 * (named.median() - plain.median()) / plain.median());
    }

    private static String byField(long total, long[] byField) {
        StringBuilder sb = new StringBuilder(String.format("%,d (", total));
        for (int i = 0; i < byField.length; i++) {
            sb.append(i == 0 ? "" : " / ").append(LABELS[i]).append(' ').append(String.format("%,d", byField[i]));
        }
        return sb.append(')').toString();
    }
}
