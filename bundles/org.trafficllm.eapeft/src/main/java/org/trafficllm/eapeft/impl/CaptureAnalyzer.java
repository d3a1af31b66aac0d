package org.trafficllm.eapeft.impl;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.CollectionType;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.CaptureProgressListener;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.FlowService;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;
import org.trafficllm.api.capture.dto.FlowKeyDTO;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.capture.dto.PacketSummaryDTO;
import org.trafficllm.api.capture.dto.ReadOptions;
import org.trafficllm.api.task.DetectionListener;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.TrafficAnalyzer;
import org.trafficllm.api.task.dto.AnalysisProgressDTO;
import org.trafficllm.api.task.dto.AskAnswerDTO;
import org.trafficllm.api.task.dto.DetectionDTO;
import org.trafficllm.api.task.dto.DetectionReportDTO;
import org.trafficllm.api.task.dto.DetectionRequestDTO;
import org.trafficllm.api.task.dto.RouteDTO;
import org.trafficllm.api.task.dto.TaskAnswerDTO;
import org.trafficllm.api.task.dto.TaskDTO;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.TrafficRenderers;
import org.trafficllm.api.text.dto.RenderOptions;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Classifies every packet or every flow of a capture: reads it through the capture
 * bundle (flows through its flow table), renders each sample with the task's
 * renderer, sends samples to the task in batches, hands each verdict to the
 * listener and to a JSON Lines file, and sums them up per label. Also answers
 * TrafficLLM-style prompts: the router picks the task from the instruction, the task
 * answers on the traffic text.
 */
@Component(service = TrafficAnalyzer.class)
public class CaptureAnalyzer implements TrafficAnalyzer {
    private static final Pattern MARKER = Pattern.compile("<(packet|flow)>\\s*:", Pattern.CASE_INSENSITIVE);
    private static final int GENERATED_TOKENS = 256;

    private final TaskRegistry registry;
    private final CaptureService captures;
    private final FlowService flows;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    volatile List<Map.Entry<Map<String, Object>, PacketRenderer>> packetRenderers = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    volatile List<Map.Entry<Map<String, Object>, FlowRenderer>> flowRenderers = List.of();

    @Activate
    public CaptureAnalyzer(@Reference TaskRegistry registry, @Reference CaptureService captures,
            @Reference FlowService flows) {
        this.registry = registry;
        this.captures = captures;
        this.flows = flows;
    }

    /** A failure inside a capture callback, carried out of it. */
    private static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abort(TaskException cause) {
            super(cause.getMessage(), cause);
        }
    }

    @Override
    public DetectionReportDTO detect(DetectionRequestDTO request, DetectionListener listener) throws TaskException {
        long started = System.nanoTime();
        if (request.capture == null || request.capture.isBlank()) {
            throw new TaskException("detect: no capture given");
        }
        Path capture = Path.of(request.capture);
        if (!Files.isRegularFile(capture)) {
            throw new TaskException(capture + ": no such file");
        }
        boolean hasTask = request.task != null && !request.task.isBlank();
        boolean hasQuestion = request.ask != null && !request.ask.isBlank();
        if (hasTask == hasQuestion) {
            throw new TaskException("detect: name a task (--task) or ask a question (--ask), not both and not neither");
        }
        RouteDTO route = hasQuestion ? registry.route(request.ask, TaskKind.DETECTION) : null;
        String taskId = route != null ? route.task : request.task;
        TaskDTO task = registry.task(taskId).orElseThrow(() -> new TaskException("unknown task '" + taskId
                + "'; installed: " + installedIds()));
        if (task.kind != TaskKind.DETECTION) {
            throw new TaskException("task '" + task.id + "' is a " + task.kind.word()
                    + " task; detect needs a detection task");
        }
        Granularity granularity = request.granularity != null ? request.granularity : task.granularity;
        String renderer = granularity == task.granularity ? task.renderer
                : granularity == Granularity.PACKET ? TrafficRendererService.TRAFFIC_WORDS
                        : TrafficRendererService.FLOW_BYTES;

        DetectionReportDTO report = new DetectionReportDTO();
        report.capture = capture.toString();
        report.task = task.id;
        report.taskName = task.name;
        report.granularity = granularity;
        report.route = route;
        report.labels = new LinkedHashMap<>();
        report.meanScores = new LinkedHashMap<>();
        report.versions = new LinkedHashMap<>();
        for (String label : task.labels) {
            report.labels.put(label, 0L);
        }
        Path out = request.out == null || request.out.isBlank() ? null : Path.of(request.out);
        report.out = out == null ? null : out.toString();
        DetectionListener sink = listener != null ? listener : d -> {
        };
        try (Verdicts verdicts = new Verdicts(task.id, granularity, Math.max(1, request.batchSize), out, report, sink)) {
            CaptureProgressListener progress = p -> {
                AnalysisProgressDTO a = new AnalysisProgressDTO();
                a.capture = p.source;
                a.packetsRead = p.packets;
                a.bytesDone = p.bytesDone;
                a.bytesTotal = p.bytesTotal;
                a.samplesDone = report.samples;
                double seconds = (System.nanoTime() - started) / 1e9;
                a.samplesPerSecond = seconds > 0 ? report.samples / seconds : 0;
                a.etaMillis = p.etaNanos < 0 ? -1 : p.etaNanos / 1_000_000;
                sink.progress(a);
            };
            CaptureSummaryDTO summary;
            try {
                RenderOptions options = new RenderOptions();
                options.mask = TaskJson.renderMask(task.mask);
                summary = granularity == Granularity.PACKET ? readPackets(capture, renderer, options, verdicts, progress)
                        : readFlows(capture, renderer, options, verdicts, progress);
                verdicts.flush();
            } catch (CaptureException e) {
                verdicts.flush();
                report.packets = e.packetsRead();
                throw new TaskException(e.getMessage() + "; " + report.samples + " " + granularity.word()
                        + "s classified before it" + (out != null ? ", written to " + out : ""), e);
            } catch (Abort e) {
                throw (TaskException) e.getCause();
            }
            report.packets = summary.packets;
        }
        for (Map.Entry<String, Double> e : report.meanScores.entrySet()) {
            long n = report.labels.getOrDefault(e.getKey(), 0L);
            e.setValue(n == 0 ? 0 : e.getValue() / n);
        }
        report.elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        return report;
    }

    private CaptureSummaryDTO readPackets(Path capture, String rendererName, RenderOptions options, Verdicts verdicts,
            CaptureProgressListener progress) throws CaptureException, TaskException {
        PacketRenderer renderer = TrafficRenderers.named(packetRenderers, rendererName).orElseThrow(() -> new TaskException(
                "no packet renderer '" + rendererName + "' is installed (packet renderers: " + names(packetRenderers)
                        + ")"));
        PacketRenderSession session = renderer.open(options);
        StringBuilder text = new StringBuilder(2048);
        return captures.read(capture, new ReadOptions(), (PacketView packet) -> {
            text.setLength(0);
            if (session.render(packet, text)) {
                verdicts.add(packet.number(), endpoints(packet.summary()), text.toString());
            } else {
                verdicts.skip();
            }
        }, progress);
    }

    private CaptureSummaryDTO readFlows(Path capture, String rendererName, RenderOptions options, Verdicts verdicts,
            CaptureProgressListener progress) throws CaptureException, TaskException {
        FlowRenderer renderer = TrafficRenderers.named(flowRenderers, rendererName).orElseThrow(() -> new TaskException(
                "no flow renderer '" + rendererName + "' is installed (flow renderers: " + names(flowRenderers) + ")"));
        FlowRenderSession session = renderer.open(options);
        FlowTableOptions table = new FlowTableOptions();
        table.packetsPerFlow = options.packetsPerFlow;
        StringBuilder text = new StringBuilder(4096);
        ReadOptions read = new ReadOptions();
        return flows.readFlows(capture, read, table, (FlowView flow) -> {
            text.setLength(0);
            if (session.render(flow, text)) {
                verdicts.add(flow.id(), endpoints(flow.key(), flow.toDTO().protocolName), text.toString());
            } else {
                verdicts.skip();
            }
        }, progress);
    }

    /**
     * Collects samples into batches, classifies each batch, and records the
     * verdicts in the report, the listener and the JSON Lines file.
     */
    private final class Verdicts implements AutoCloseable {
        private final String task;
        private final Granularity granularity;
        private final int batchSize;
        private final DetectionReportDTO report;
        private final DetectionListener listener;
        private final BufferedWriter writer;
        private final JsonGenerator json;
        private final List<Long> indexes = new ArrayList<>();
        private final List<String> endpoints = new ArrayList<>();
        private final List<String> texts = new ArrayList<>();

        Verdicts(String task, Granularity granularity, int batchSize, Path out, DetectionReportDTO report,
                DetectionListener listener) throws TaskException {
            this.task = task;
            this.granularity = granularity;
            this.batchSize = batchSize;
            this.report = report;
            this.listener = listener;
            try {
                writer = out == null ? null : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                json = writer == null ? null : TaskJson.MAPPER.getFactory().createGenerator(writer)
                        .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                if (json != null) {
                    json.setRootValueSeparator(null);
                }
            } catch (IOException e) {
                throw new TaskException(out + ": cannot write: " + e.getMessage(), e);
            }
        }

        void add(long index, String who, String text) {
            indexes.add(index);
            endpoints.add(who);
            texts.add(text);
            if (texts.size() >= batchSize) {
                try {
                    flush();
                } catch (TaskException e) {
                    throw new Abort(e);
                }
            }
        }

        void skip() {
            report.skipped++;
        }

        void flush() throws TaskException {
            if (texts.isEmpty()) {
                return;
            }
            List<TaskAnswerDTO> answers = registry.classify(task, granularity, texts);
            for (int i = 0; i < answers.size(); i++) {
                TaskAnswerDTO a = answers.get(i);
                DetectionDTO d = new DetectionDTO();
                d.granularity = granularity;
                d.index = indexes.get(i);
                d.endpoints = endpoints.get(i);
                d.label = a.label;
                d.score = a.score;
                d.probabilities = a.probabilities;
                d.taskVersion = a.version;
                d.truncated = a.truncated;
                report.samples++;
                report.labels.merge(d.label, 1L, Long::sum);
                report.meanScores.merge(d.label, d.score, Double::sum);
                report.versions.merge(d.taskVersion, 1L, Long::sum);
                write(d);
                listener.detection(d);
            }
            indexes.clear();
            endpoints.clear();
            texts.clear();
        }

        private void write(DetectionDTO d) throws TaskException {
            if (json == null) {
                return;
            }
            try {
                json.writeStartObject();
                json.writeStringField("granularity", d.granularity.word());
                json.writeNumberField("index", d.index);
                json.writeStringField("endpoints", d.endpoints);
                json.writeStringField("label", d.label);
                json.writeNumberField("score", d.score);
                json.writeStringField("task", task);
                json.writeStringField("taskVersion", d.taskVersion);
                json.writeBooleanField("truncated", d.truncated);
                json.writeObjectFieldStart("probabilities");
                for (Map.Entry<String, Double> p : d.probabilities.entrySet()) {
                    json.writeNumberField(p.getKey(), p.getValue());
                }
                json.writeEndObject();
                json.writeEndObject();
                json.writeRaw('\n');
            } catch (IOException e) {
                throw new TaskException(report.out + ": cannot write: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws TaskException {
            if (json == null) {
                return;
            }
            try {
                json.close();
                writer.close();
            } catch (IOException e) {
                throw new TaskException(report.out + ": cannot write: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public AskAnswerDTO ask(String prompt) throws TaskException {
        if (prompt == null || prompt.isBlank()) {
            throw new TaskException("ask: the prompt is empty");
        }
        Matcher m = MARKER.matcher(prompt);
        String instruction;
        String traffic;
        Granularity granularity;
        if (m.find()) {
            // A shell user may type the line break as the two characters \n.
            instruction = prompt.substring(0, m.start()).replaceAll("(\\\\n|\\s)+$", "").trim();
            traffic = prompt.substring(m.end()).trim();
            granularity = Granularity.of(m.group(1));
        } else {
            instruction = prompt.trim();
            traffic = null;
            granularity = null;
        }
        if (instruction.isEmpty()) {
            throw new TaskException("ask: the prompt has no instruction before its <" + granularity.word() + ">: part");
        }
        AskAnswerDTO answer = new AskAnswerDTO();
        answer.instruction = instruction;
        answer.route = registry.route(instruction, null);
        TaskDTO task = registry.task(answer.route.task).orElseThrow(() -> new TaskException("task '"
                + answer.route.task + "' went away while answering"));
        answer.granularity = granularity != null ? granularity : task.granularity;
        if (task.kind == TaskKind.GENERATION) {
            answer.answer = registry.generate(task.id, answer.granularity, labelIn(instruction, task), GENERATED_TOKENS);
        } else {
            if (traffic == null || traffic.isEmpty()) {
                throw new TaskException("ask: the instruction routes to '" + task.name + "', which reads traffic; add "
                        + "'<packet>: ' or '<flow>: ' and the traffic text after the instruction");
            }
            answer.answer = registry.classify(task.id, answer.granularity, List.of(traffic)).get(0);
        }
        return answer;
    }

    /** The label of a generation task that the instruction names (the longest one, ignoring case). */
    private static String labelIn(String instruction, TaskDTO task) throws TaskException {
        String lower = instruction.toLowerCase(Locale.ROOT);
        String best = null;
        for (String label : task.labels) {
            if (lower.contains(label.toLowerCase(Locale.ROOT)) && (best == null || label.length() > best.length())) {
                best = label;
            }
        }
        if (best == null) {
            throw new TaskException("ask: '" + task.name + "' generates " + String.join(", ", task.labels)
                    + "; name one of them in the instruction");
        }
        return best;
    }

    private String installedIds() {
        List<String> ids = new ArrayList<>();
        for (TaskDTO d : registry.tasks()) {
            ids.add(d.id);
        }
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    /** The bound renderers' names for a message: "none" when there is none. */
    private static <S> String names(List<Map.Entry<Map<String, Object>, S>> renderers) {
        List<String> names = TrafficRenderers.names(renderers);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    static String endpoints(PacketSummaryDTO p) {
        StringBuilder s = new StringBuilder(p.protocol == null ? "?" : p.protocol).append(' ');
        s.append(p.source == null ? "?" : p.source);
        if (p.sourcePort >= 0) {
            s.append(':').append(p.sourcePort);
        }
        s.append(" -> ").append(p.destination == null ? "?" : p.destination);
        if (p.destinationPort >= 0) {
            s.append(':').append(p.destinationPort);
        }
        return s.toString();
    }

    static String endpoints(FlowKeyDTO key, String protocol) {
        return protocol + " " + key.clientAddress + (key.clientPort > 0 ? ":" + key.clientPort : "") + " -> "
                + key.serverAddress + (key.serverPort > 0 ? ":" + key.serverPort : "");
    }
}
