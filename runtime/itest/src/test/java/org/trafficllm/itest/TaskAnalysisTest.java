package org.trafficllm.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.FlowService;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.capture.dto.ReadOptions;
import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ClassificationRequest;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskLifecycle;
import org.trafficllm.api.task.TaskPackager;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.TrafficAnalyzer;
import org.trafficllm.api.task.dto.AskAnswerDTO;
import org.trafficllm.api.task.dto.DetectionDTO;
import org.trafficllm.api.task.dto.DetectionReportDTO;
import org.trafficllm.api.task.dto.DetectionRequestDTO;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * Capture analysis through tasks installed as bundles: every packet and every flow
 * of a capture the project made itself is classified, questions are routed among
 * the tasks installed now, damaged captures and unknown tasks fail in one line while
 * the runtime keeps serving, and the shell commands print the results.
 */
@ExtendWith(ServiceExtension.class)
class TaskAnalysisTest {
    private static final String GOLDEN = "golden-analysis-lora";

    @InjectService(timeout = 120_000)
    static BaseModel model;

    @InjectService(timeout = 30_000)
    static TaskLifecycle lifecycle;

    @InjectService(timeout = 30_000)
    static TaskPackager packager;

    @InjectService(timeout = 30_000)
    TaskRegistry registry;

    @InjectService(timeout = 30_000)
    TrafficAnalyzer analyzer;

    @InjectService(timeout = 30_000)
    CaptureService captures;

    @InjectService(timeout = 30_000)
    FlowService flows;

    @InjectService(timeout = 30_000, filter = "(trafficllm.renderer.name=traffic-words)")
    PacketRenderer trafficWords;

    @InjectService(timeout = 30_000, filter = "(trafficllm.renderer.name=flow-bytes-names)")
    FlowRenderer flowBytesNames;

    @InjectService(timeout = 30_000, filter = "(trafficllm.renderer.name=http-request-shape)")
    PacketRenderer httpRequestShape;

    @InjectService(timeout = 30_000)
    CommandProcessor shell;

    @TempDir
    Path dir;

    @BeforeAll
    static void install(@TempDir Path jars) throws Exception {
        lifecycle.register(TaskFixtures.pack(packager, jars, "SCAN", "detection", "1.0.0", "llama-tiny-lora",
                "llama-tiny").toString());
        lifecycle.register(TaskFixtures.pack(packager, jars, "ALSO", "detection", "1.0.0", "llama-tiny-prefix",
                "llama-tiny").toString());
        lifecycle.register(TaskFixtures.pack(packager, jars, "ROUTE", "router", "1.0.0", "llama-tiny-lora",
                "llama-tiny").toString());
        model.loadAdapter(GOLDEN, AdapterFiles.of(TaskFixtures.fixtures().resolve("llama-tiny-lora")));
    }

    @AfterAll
    static void uninstall() throws Exception {
        model.unloadAdapter(GOLDEN);
        for (String task : List.of("SCAN", "ALSO", "ROUTE")) {
            lifecycle.unregister(task);
        }
    }

    private static Path capture() {
        return TaskFixtures.examples().resolve("captures/http-get.pcap");
    }

    /** The traffic words of every packet the renderer renders, in capture order, with these identifiers masked. */
    private List<String> renderedPackets(Set<MaskedIdentifier> mask) throws Exception {
        RenderOptions options = new RenderOptions();
        options.mask = mask;
        PacketRenderSession session = trafficWords.open(options);
        List<String> texts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        captures.read(capture(), packet -> {
            text.setLength(0);
            if (session.render(packet, text)) {
                texts.add(text.toString());
            }
        });
        return texts;
    }

    @Test
    void classifiesEveryPacketAndEveryFlowOfTheCapture() throws Exception {
        // the task.json names no mask: the model reads what the dataset builder writes by default, all masked
        List<String> texts = renderedPackets(EnumSet.allOf(MaskedIdentifier.class));
        assertThat(texts).hasSizeGreaterThan(1).allSatisfy(t -> assertThat(t).contains("ip.src: IP_")
                .doesNotContain("127.0.0.1"));
        DetectionRequestDTO request = new DetectionRequestDTO();
        request.capture = capture().toString();
        request.task = "SCAN";
        request.out = dir.resolve("verdicts.jsonl").toString();
        request.batchSize = 5;
        List<DetectionDTO> verdicts = new ArrayList<>();
        DetectionReportDTO report = analyzer.detect(request, verdicts::add);

        assertThat(report.samples).isEqualTo(texts.size());
        assertThat(verdicts).extracting(d -> d.index).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, texts.size()).boxed().toList());
        assertThat(verdicts).allSatisfy(d -> {
            assertThat(d.label).isIn(TaskFixtures.LABELS);
            assertThat(d.taskVersion).isEqualTo("1.0.0");
            assertThat(d.endpoints).startsWith("TCP 127.0.0.1:");
        });
        assertThat(report.labels.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(texts.size());
        assertThat(Files.readAllLines(Path.of(request.out))).hasSize(texts.size());

        for (int i = 0; i < texts.size(); i++) {
            DetectionDTO d = verdicts.get(i);
            Map<String, Double> golden = TaskFixtures.golden(model, GOLDEN, texts.get(i));
            golden.forEach((label, p) -> assertThat(d.probabilities.get(label)).as(d.index + " " + label)
                    .isCloseTo(p, within(1e-6)));
        }

        long flowCount = countFlows();
        request.granularity = Granularity.FLOW;
        request.out = null;
        DetectionReportDTO byFlow = analyzer.detect(request, null);
        assertThat(byFlow.samples).isEqualTo(flowCount).isPositive();
        assertThat(byFlow.granularity).isEqualTo(Granularity.FLOW);
    }

    private long countFlows() throws Exception {
        long[] n = {0};
        flows.readFlows(capture(), new ReadOptions(), new FlowTableOptions(), f -> n[0]++);
        return n[0];
    }

    /** Each flow of a capture as the flow-bytes-names renderer writes it, every identifier masked. */
    private List<String> renderedFlows(Path capture) throws Exception {
        RenderOptions options = new RenderOptions();
        options.mask = EnumSet.allOf(MaskedIdentifier.class);
        FlowRenderSession session = flowBytesNames.open(options);
        List<String> texts = new ArrayList<>();
        flows.readFlows(capture, new ReadOptions(), new FlowTableOptions(), f -> {
            StringBuilder text = new StringBuilder();
            if (session.render(f, text)) {
                texts.add(text.toString());
            }
        });
        return texts;
    }

    @Test
    void aFlowTaskReadsTheNameAFlowAsksForInClearAsItsRendererWritesIt(@TempDir Path jars) throws Exception {
        lifecycle.register(packager.pack(TaskFixtures.request(jars, "NAMED", "detection", "1.0.0", "llama-tiny-lora",
                "llama-tiny", "flow", "flow-bytes-names", "")).jar);
        try {
            Path dns = TaskFixtures.examples().resolve("captures/dns-query.pcap");
            List<String> texts = renderedFlows(dns);
            assertThat(texts).hasSize(1).first().asString().startsWith("dns.qry.name: example.test, <pck>");
            // the HTTP request's Host, localhost:PORT, without its port
            assertThat(renderedFlows(capture())).hasSize(1).first().asString().startsWith("http.host: localhost, <pck>");
            DetectionRequestDTO request = new DetectionRequestDTO();
            request.capture = dns.toString();
            request.task = "NAMED";
            List<DetectionDTO> verdicts = new ArrayList<>();
            DetectionReportDTO report = analyzer.detect(request, verdicts::add);
            assertThat(report.granularity).isEqualTo(Granularity.FLOW);
            assertThat(verdicts).hasSize(1);
            Map<String, Double> golden = TaskFixtures.golden(model, GOLDEN, "flow", texts.get(0));
            golden.forEach((label, p) -> assertThat(verdicts.get(0).probabilities.get(label)).as(label)
                    .isCloseTo(p, within(1e-6)));
        } finally {
            lifecycle.unregister("NAMED");
        }
    }

    @Test
    void aPacketTaskReadsRequestsAsItsRendererWritesThem(@TempDir Path jars) throws Exception {
        lifecycle.register(packager.pack(TaskFixtures.request(jars, "SHAPED", "detection", "1.0.0", "llama-tiny-lora",
                "llama-tiny", "packet", "http-request-shape", "")).jar);
        try {
            RenderOptions options = new RenderOptions();
            options.mask = EnumSet.allOf(MaskedIdentifier.class);
            PacketRenderSession session = httpRequestShape.open(options);
            List<String> texts = new ArrayList<>();
            captures.read(capture(), packet -> {
                StringBuilder text = new StringBuilder();
                if (session.render(packet, text)) {
                    texts.add(text.toString());
                }
            });
            // the one GET of the capture: no arguments, then the request as CSIC's JSON, its port masked
            assertThat(texts).containsExactly("request.args: 0, {\"method\": \"GET\", \"url\": "
                    + "\"http://localhost:PORT_1/index.html\", \"body\": \"\"}");
            DetectionRequestDTO request = new DetectionRequestDTO();
            request.capture = capture().toString();
            request.task = "SHAPED";
            List<DetectionDTO> verdicts = new ArrayList<>();
            analyzer.detect(request, verdicts::add);
            assertThat(verdicts).hasSize(1);
            Map<String, Double> golden = TaskFixtures.golden(model, GOLDEN, texts.get(0));
            golden.forEach((label, p) -> assertThat(verdicts.get(0).probabilities.get(label)).as(label)
                    .isCloseTo(p, within(1e-6)));
        } finally {
            lifecycle.unregister("SHAPED");
        }
    }

    @Test
    void aTaskTrainedOnUnmaskedTextIsServedUnmasked(@TempDir Path jars) throws Exception {
        lifecycle.register(packager.pack(TaskFixtures.request(jars, "RAW", "detection", "1.0.0", "llama-tiny-lora",
                "llama-tiny", ",\"mask\":[]")).jar);
        try {
            assertThat(registry.task("RAW").orElseThrow().mask).isEmpty();
            assertThat(registry.task("SCAN").orElseThrow().mask).containsExactly(MaskedIdentifier.values());
            List<String> texts = renderedPackets(EnumSet.noneOf(MaskedIdentifier.class));
            assertThat(texts).allSatisfy(t -> assertThat(t).contains("ip.src: 127.0.0.1"));
            DetectionRequestDTO request = new DetectionRequestDTO();
            request.capture = capture().toString();
            request.task = "RAW";
            List<DetectionDTO> verdicts = new ArrayList<>();
            analyzer.detect(request, verdicts::add);
            assertThat(verdicts).hasSameSizeAs(texts);
            for (int i = 0; i < texts.size(); i++) {
                DetectionDTO d = verdicts.get(i);
                Map<String, Double> golden = TaskFixtures.golden(model, GOLDEN, texts.get(i));
                golden.forEach((label, p) -> assertThat(d.probabilities.get(label)).as(d.index + " " + label)
                        .isCloseTo(p, within(1e-6)));
            }
        } finally {
            lifecycle.unregister("RAW");
        }
    }

    @Test
    void aQuestionIsRoutedAmongTheTasksInstalledNow() throws Exception {
        String question = "is there malware here?";
        DetectionRequestDTO request = new DetectionRequestDTO();
        request.capture = capture().toString();
        request.ask = question;
        DetectionReportDTO report = analyzer.detect(request, null);

        List<String> names = List.of("ALSO detection", "SCAN detection");
        // The router's prompt as the format builds it: head, the user's words and the tail encoded apart.
        var asked = new ClassificationRequest(GOLDEN, null, names);
        asked.promptTokenIds = IntStream.concat(IntStream.concat(IntStream.of(model.encode("Which task is this? ")),
                IntStream.of(model.encode(question))), IntStream.of(model.encode("\n"))).toArray();
        var golden = model.classify(asked);
        assertThat(report.route.taskName).isEqualTo(golden.label);
        assertThat(report.route.probabilities.keySet()).containsExactlyElementsOf(names);
        golden.probabilities.forEach((name, p) -> assertThat(report.route.probabilities.get(name))
                .isCloseTo(p, within(1e-6)));
        assertThat(report.task).isEqualTo(golden.label.split(" ")[0]);
        assertThat(report.route.router).isEqualTo("ROUTE");

        List<String> texts = renderedPackets(EnumSet.allOf(MaskedIdentifier.class));
        AskAnswerDTO answer = analyzer.ask("Is this packet malicious?\n<packet>: " + texts.get(0));
        assertThat(answer.instruction).isEqualTo("Is this packet malicious?");
        assertThat(answer.granularity).isEqualTo(Granularity.PACKET);
        assertThat(names).contains(answer.route.taskName);
        assertThat(answer.answer.task).isEqualTo(answer.route.task);
        assertThat(answer.answer.label).isIn(TaskFixtures.LABELS);
    }

    @Test
    void aDamagedCaptureOrAnUnknownTaskFailsInOneLineAndServingGoesOn() throws Exception {
        byte[] whole = Files.readAllBytes(capture());
        Path damaged = Files.write(dir.resolve("damaged.pcap"), Arrays.copyOf(whole, whole.length - 20));
        DetectionRequestDTO request = new DetectionRequestDTO();
        request.capture = damaged.toString();
        request.task = "SCAN";
        request.out = dir.resolve("partial.jsonl").toString();
        assertThatThrownBy(() -> analyzer.detect(request, null)).isInstanceOf(TaskException.class)
                .hasMessageStartingWith(damaged.toString())
                .hasMessageContaining("classified before it, written to " + request.out)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Files.readAllLines(Path.of(request.out))).isNotEmpty();

        request.capture = capture().toString();
        request.task = "NOPE";
        assertThatThrownBy(() -> analyzer.detect(request, null))
                .hasMessageStartingWith("unknown task 'NOPE'; installed: ");
        assertThat(registry.classify("SCAN", null, List.of("x")).get(0).version).isEqualTo("1.0.0");
    }

    @Test
    void theShellCommandsPrintTasksAndVerdicts() throws Exception {
        assertThat(String.valueOf(execute("tllm:help"))).contains("tasks", "register", "update", "rollback",
                "unregister", "package", "detect", "ask", "features", "feature");
        assertThat(String.valueOf(execute("tllm:help package"))).contains("usage: package").contains("--base <value>")
                .contains("<adapter>");
        String tasks = String.valueOf(execute("tllm:tasks"));
        assertThat(tasks).contains("SCAN", "ALSO", "ROUTE", "llama-tiny 1.0.0", "serving", "normal, malware");
        String detect = String.valueOf(execute("tllm:detect '" + capture() + "' --task SCAN"));
        assertThat(detect).contains("task     SCAN (SCAN detection)").contains("packets classified")
                .contains("TCP 127.0.0.1:");
        assertThatThrownBy(() -> execute("tllm:detect '" + dir.resolve("none.pcap") + "' --task SCAN"))
                .hasMessage(dir.resolve("none.pcap") + ": no such file");
    }

    private Object execute(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession session = shell.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(out),
                new PrintStream(out))) {
            return session.execute(line);
        }
    }
}
