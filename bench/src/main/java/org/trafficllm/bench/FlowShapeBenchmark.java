package org.trafficllm.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.bench.FlowPasses.Pass;
import org.trafficllm.text.impl.FlowBytesRenderer;
import org.trafficllm.text.impl.FlowBytesShapeRenderer;

/**
 * What the shape of {@code flow-bytes-shape} costs: flows per second for read + flow
 * assembly + rendering of the whole nDPI corpus on one thread, every identifier masked,
 * once with {@code flow-bytes} and once with {@code flow-bytes-shape}, and for rendering
 * alone over the same flows held in memory; wall time and the thread's CPU time, and the
 * characters the shape adds. The peer is {@code flow-bytes} in the same run: the shape is
 * counted from the flow table the flow bytes are rendered from, and no other tool writes
 * it. Writes its section of BENCHMARKS.md.
 *
 * <p>Arguments: the data root (or {@code TRAFFICLLM_DATA}) and the file to write
 * (BENCHMARKS.md).
 */
public final class FlowShapeBenchmark {
    private static final String SECTION = "## Flow shape: flow-bytes-shape against flow-bytes";
    private static final String SKIP = "flow.shape.benchmark.skip";

    private FlowShapeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : System.getenv("TRAFFICLLM_DATA"));
        Path output = Path.of(args.length > 1 ? args[1] : "BENCHMARKS.md");
        List<Path> files = Corpus.captures(data.resolve("ndpi/pcap"));
        System.out.printf("%d capture files%n", files.size());

        Comparison<Pass> shape = new FlowPasses(files, List.of()).measure(TrafficRendererService.FLOW_BYTES,
                new FlowBytesRenderer(), TrafficRendererService.FLOW_BYTES_SHAPE, new FlowBytesShapeRenderer());
        String section = section(files.size(), shape);
        System.out.println(section);
        BenchmarksFile.replaceSection(output, SECTION, section);
    }

    private static String section(int files, Comparison<Pass> shape) throws IOException, InterruptedException {
        Pass plain = shape.whole().get(0).totals();
        Pass shaped = shape.whole().get(1).totals();
        StringBuilder sb = new StringBuilder(BenchmarksFile.heading(SECTION, FlowShapeBenchmark.class, SKIP));
        sb.append(String.format("Input: the nDPI corpus (`ndpi/pcap`, %d files) read into %,d bidirectional flows by "
                + "the capture bundle's flow service (`FlowAssemblyService` over `PcapCaptureService`, %d packets kept "
                + "per flow), %,d of them rendered; every identifier masked (MAC, IP, port, time); one thread, one "
                + "render session per file. Our times are the median of %d runs after %d warm-up passes, the two "
                + "renderers alternating run by run.%n%n", files, shaped.flows(), FlowPasses.PACKETS_PER_FLOW,
                shaped.rendered(), Measured.RUNS, FlowPasses.WARMUP));
        sb.append("| pipeline | wall time | flows/s | CPU time of the thread | flows/s on CPU time "
                + "| characters per rendered flow |\n");
        sb.append("|---|---|---|---|---|---|\n");
        sb.append(shape.rows("read + flows + render", "the same flows held in memory", Pass::flows,
                p -> String.format("%.0f", p.characters() / (double) p.rendered())));
        sb.append('\n').append(shape.cost("shape", "flows", "in the whole pipeline")).append(' ')
                .append(shape.spread("in the whole pipeline")).append(' ').append(aloneCost(shape, shaped.rendered()))
                .append('\n');
        long added = shaped.characters() - plain.characters();
        sb.append(String.format("The shape adds %,d characters to the corpus's flow-bytes texts (%,d): %.1f per "
                + "rendered flow. Wall time also counts the time the thread waited for a core while other work ran, "
                + "the CPU time does not: on a shared machine it is the steadier measure.%n", added,
                plain.characters(), added / (double) shaped.rendered()));
        return sb.toString();
    }

    /** The CPU time of the shape alone per rendered flow, or that it is less than the runs vary. */
    private static String aloneCost(Comparison<Pass> shape, long rendered) {
        long cost = shape.addedCpuNanos();
        long spread = shape.aloneCpuSpread();
        if (Math.abs(cost) <= spread) {
            return String.format("Rendering alone, the shape costs less than the runs vary: the medians differ by "
                    + "%.3f µs of CPU time per rendered flow, the middle runs of either renderer by up to %.3f µs.",
                    cost / 1e3 / rendered, spread / 1e3 / rendered);
        }
        return String.format("The shape alone (`flow-bytes-shape` less `flow-bytes`, rendering alone) takes %.3f µs "
                + "of CPU time per rendered flow.", cost / 1e3 / rendered);
    }
}
