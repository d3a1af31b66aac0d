package org.trafficllm.dataset.layout.impl;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.FlowService;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.capture.dto.ReadOptions;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.LayoutContext;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * Turns capture files into samples with the capture and text bundles: at packet
 * granularity every packet's traffic words (or, on request, the text of another
 * installed packet renderer), grouped by its 5-tuple; at flow granularity every
 * flow's flow bytes (or, on request, another installed flow renderer's text, e.g. its
 * payload bytes), from the flow table, grouped the same way (a connection the table split at a timeout stays
 * one group); with the layout option {@code group=capture}, every sample of a capture file
 * is one group, so no capture sits on both sides of the split (recognising the capture
 * then cannot pass for recognising the class). One render session per file keeps
 * masking placeholders stable within the file. A damaged capture keeps
 * the samples read before the damage and is reported as left out; a packet or flow
 * the renderer cannot render is left out with its number.
 */
final class CaptureSamples {
    private final CaptureService captures;
    private final FlowService flows;
    private final PacketRenderer trafficWords;
    private final FlowRenderer flowBytes;
    /** Every packet renderer installed, with its service properties (the layout's dynamic reference). */
    private final Supplier<List<Map.Entry<Map<String, Object>, PacketRenderer>>> packetRenderers;
    /** Every flow renderer installed, likewise. */
    private final Supplier<List<Map.Entry<Map<String, Object>, FlowRenderer>>> flowRenderers;

    /**
     * @param trafficWords the packet default, always there
     * @param flowBytes the flow default, always there
     * @param packetRenderers the packet renderers installed now, asked at every build
     * @param flowRenderers the flow renderers installed now, likewise
     */
    CaptureSamples(CaptureService captures, FlowService flows, PacketRenderer trafficWords, FlowRenderer flowBytes,
            Supplier<List<Map.Entry<Map<String, Object>, PacketRenderer>>> packetRenderers,
            Supplier<List<Map.Entry<Map<String, Object>, FlowRenderer>>> flowRenderers) {
        this.captures = captures;
        this.flows = flows;
        this.trafficWords = trafficWords;
        this.flowBytes = flowBytes;
        this.packetRenderers = packetRenderers;
        this.flowRenderers = flowRenderers;
    }

    /** The default renderer name for a granularity. */
    static String renderer(Granularity granularity) {
        return granularity == Granularity.PACKET ? TrafficRendererService.TRAFFIC_WORDS
                : TrafficRendererService.FLOW_BYTES;
    }

    /**
     * The renderer for a build: the granularity's default, or any packet (flow) renderer
     * installed in the framework under the requested name, e.g. at flow granularity
     * {@code payload-bytes} (the flow's transport payloads, as DeepTraffic's session
     * records hold them), {@code flow-bytes-names} or {@code flow-bytes-shape}, at packet
     * granularity {@code http-request} (each packet that carries a whole HTTP request, as
     * TrafficLLM's web-attack JSON). A renderer bundle installed later is usable by its
     * name without a change here.
     */
    String renderer(Granularity granularity, String requested) throws DatasetException {
        String samples = granularity.word() + " samples of captures";
        return granularity == Granularity.PACKET
                ? LayoutRenderers.choose(requested, renderer(granularity), packetRenderers.get(), samples)
                : LayoutRenderers.choose(requested, renderer(granularity), flowRenderers.get(), samples);
    }

    /** Whether the request groups samples by capture file ({@code group=capture}) rather than by flow (default). */
    static boolean groupByCapture(LayoutContext context) throws DatasetException {
        return LayoutOptions.group(context, "flow", "capture").equals("capture");
    }

    static RenderOptions options(LayoutContext context) {
        RenderOptions options = new RenderOptions();
        options.mask = context.mask() ? EnumSet.allOf(MaskedIdentifier.class) : EnumSet.noneOf(MaskedIdentifier.class);
        return options;
    }

    /**
     * Reads one capture.
     *
     * @param name how the file is named in groups and messages (relative to the input)
     * @param labeler the class of a 5-tuple key, or null to leave its traffic out
     * @param progress receives the bytes of this file read so far
     */
    void read(Path file, String name, LayoutContext context, RenderOptions options,
            Function<String, String> labeler, LongConsumer progress) throws DatasetException {
        boolean byCapture = groupByCapture(context);
        Map<String, String> groups = new HashMap<>();
        Function<String, String> groupOf = key -> groups.computeIfAbsent(key, k -> byCapture ? name : name + " " + k);
        StringBuilder text = new StringBuilder(2048);
        ReadOptions readOptions = new ReadOptions();
        try {
            if (context.granularity() == Granularity.PACKET) {
                PacketRenderSession session = LayoutRenderers.resolve(context.renderer(),
                        TrafficRendererService.TRAFFIC_WORDS, trafficWords, packetRenderers.get()).open(options);
                captures.read(file, readOptions, packet -> {
                    text.setLength(0);
                    boolean rendered;
                    try {
                        rendered = session.render(packet, text);
                    } catch (RuntimeException e) {
                        context.skip(name + ": packet " + packet.number(), "cannot render: " + e);
                        return;
                    }
                    if (!rendered) {
                        return;
                    }
                    // only rendered packets ask for a label, so a label row counts as used only when it gave samples
                    String key = FlowKeys.of(packet);
                    String label = key == null ? null : labeler.apply(key);
                    if (label != null) {
                        emit(context, label, groupOf.apply(key), text);
                    }
                }, report -> progress.accept(report.bytesDone));
            } else {
                FlowRenderSession session = LayoutRenderers.resolve(context.renderer(),
                        TrafficRendererService.FLOW_BYTES, flowBytes, flowRenderers.get()).open(options);
                FlowTableOptions tableOptions = new FlowTableOptions();
                tableOptions.packetsPerFlow = options.packetsPerFlow;
                flows.readFlows(file, readOptions, tableOptions, flow -> {
                    String key = FlowKeys.of(flow.key());
                    String label = key == null ? null : labeler.apply(key);
                    if (label != null) {
                        text.setLength(0);
                        boolean rendered;
                        try {
                            rendered = session.render(flow, text);
                        } catch (RuntimeException e) {
                            context.skip(name + ": flow " + flow.id(), "cannot render: " + e);
                            return;
                        }
                        if (rendered) {
                            emit(context, label, groupOf.apply(key), text);
                        }
                    }
                });
            }
        } catch (Stop stop) {
            throw stop.cause;
        } catch (CaptureException e) {
            context.skip(name, "unreadable capture: " + withoutFile(e.getMessage(), file) + " (" + e.packetsRead()
                    + " packets before it were used)");
        }
    }

    /** The capture bundle's message starts with the file's path; the skip line names the file already. */
    static String withoutFile(String message, Path file) {
        String prefix = file + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static void emit(LayoutContext context, String label, String group, StringBuilder text) {
        try {
            context.sample(label, group, text.toString());
        } catch (DatasetException e) {
            throw new Stop(e);
        }
    }

    /** Carries a cancellation out of a capture callback. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final DatasetException cause;

        Stop(DatasetException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }
}
