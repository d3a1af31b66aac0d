package org.trafficllm.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

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

/**
 * Timed passes of one flow renderer over the flows of capture files, on one thread, one
 * render session per file, every identifier masked: read + flow assembly
 * ({@value #PACKETS_PER_FLOW} packets kept per flow) + render, or render alone over the
 * same flows held in memory. A pass counts flows, rendered flows, characters and the texts
 * that start with each of the given fields ({@code field: }).
 */
final class FlowPasses {
    static final int PACKETS_PER_FLOW = 10;
    /**
     * Untimed passes of each renderer before the timed ones. One pass takes about 0.1 s; in
     * a trial of 25 passes without warm-up the thread's CPU time per pass kept falling (JIT)
     * up to about the 20th.
     */
    static final int WARMUP = 20;

    private final List<Path> files;
    private final List<String> fields;
    private final RenderOptions options = new RenderOptions();

    /**
     * Totals of one pass: flows read, rendered, characters written, and texts that start
     * with each field, in the order of the fields.
     */
    record Pass(long flows, long rendered, long characters, long[] named) {
        long namedTotal() {
            return Arrays.stream(named).sum();
        }
    }

    FlowPasses(List<Path> files, List<String> fields) {
        this.files = files;
        this.fields = fields;
        options.mask = EnumSet.allOf(MaskedIdentifier.class);
    }

    /** Counts of one pass, filled as flows are rendered. */
    private final class Tally {
        long flows;
        long rendered;
        long characters;
        final long[] named = new long[fields.size()];

        void render(FlowRenderSession session, FlowView flow, StringBuilder sb) {
            flows++;
            sb.setLength(0);
            if (session.render(flow, sb)) {
                rendered++;
                characters += sb.length();
                for (int i = 0; i < fields.size(); i++) {
                    if (startsWithField(sb, fields.get(i))) {
                        named[i]++;
                        break;
                    }
                }
            }
        }

        Timed<Pass> stop(Stopwatch watch) {
            return watch.stop(new Pass(flows, rendered, characters, named));
        }
    }

    /** True when the text starts with {@code field: }. */
    private static boolean startsWithField(CharSequence text, String field) {
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

    private static FlowTableOptions tableOptions() {
        FlowTableOptions table = new FlowTableOptions();
        table.packetsPerFlow = PACKETS_PER_FLOW;
        return table;
    }

    /**
     * {@link #WARMUP} passes, then the timed runs of the renderer named {@code added} against
     * the one named {@code plain}, the two alternating: the whole pipeline first, then
     * rendering alone.
     */
    Comparison<Pass> measure(String plain, FlowRenderer plainRenderer, String added, FlowRenderer addedRenderer) {
        List<String> names = List.of(plain, added);
        List<FlowRenderer> renderers = List.of(plainRenderer, addedRenderer);
        List<Measured<Pass>> whole = Measured.alternating("whole pipeline", WARMUP, names,
                r -> pipeline(renderers.get(r)));
        List<List<FlowView>> flows = flowsByFile();
        List<Measured<Pass>> alone = Measured.alternating("render only", WARMUP, names,
                r -> renderOnly(flows, renderers.get(r)));
        return new Comparison<>(plain, added, whole, alone);
    }

    /** Reads every file into flows and renders each flow as it ends. */
    private Timed<Pass> pipeline(FlowRenderer renderer) {
        FlowAssemblyService flows = new FlowAssemblyService(new PcapCaptureService());
        FlowTableOptions table = tableOptions();
        StringBuilder sb = new StringBuilder(4096);
        Tally tally = new Tally();
        Stopwatch watch = new Stopwatch();
        for (Path file : files) {
            FlowRenderSession session = renderer.open(options);
            read(flows, file, table, flow -> tally.render(session, flow, sb));
        }
        return tally.stop(watch);
    }

    /** The flows of every file, kept for {@link #renderOnly}. */
    private List<List<FlowView>> flowsByFile() {
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

    private Timed<Pass> renderOnly(List<List<FlowView>> flows, FlowRenderer renderer) {
        StringBuilder sb = new StringBuilder(4096);
        Tally tally = new Tally();
        Stopwatch watch = new Stopwatch();
        for (List<FlowView> ofFile : flows) {
            FlowRenderSession session = renderer.open(options);
            for (FlowView flow : ofFile) {
                tally.render(session, flow, sb);
            }
        }
        return tally.stop(watch);
    }

    private static void read(FlowAssemblyService flows, Path file, FlowTableOptions table, FlowHandler handler) {
        try {
            flows.readFlows(file, null, table, handler);
        } catch (CaptureException e) {
            // Damaged files end early, as they do for tshark; the flows before the damage were handed on.
            System.out.println(e.getMessage());
        }
    }
}
