package org.trafficllm.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.eval.impl.ClassificationReportService;

/**
 * The command line end to end on small datasets this test writes in the dataset
 * builder's layout, and its one-line errors. The classes are told apart by the
 * first bytes of the second packet (trees) or by a word in the request (linear), so
 * every model must get them all right.
 */
class BaselineMainTest {
    private static final String PROMPT = "Given the following traffic data <flow>. Which class?\n<flow>: ";
    private final ClassificationReportService evaluation = new ClassificationReportService();

    @TempDir
    Path folder;

    @Test
    void treeModelsLearnTheBytesOfTheSecondPacket() throws IOException {
        writeFlows(folder, 90, 30);
        for (String model : List.of("rf", "gbt")) {
            CommandResult result = run("--train", train(), "--test", test(), "--model", model, "--out", out(), "--trees", "30");

            assertThat(result.code()).as(result.err()).isZero();
            assertThat(result.out()).startsWith(model + " toy_detection_flow_test.jsonl: accuracy 1.0000, macro-F1 1.0000");
            EvaluationReportDTO report = evaluation.readJson(folder.resolve("out").resolve(model + ".json"));
            assertThat(report.accuracy).isEqualTo(1.0);
            assertThat(report.labels).as("label-file order").containsExactly("tor", "vpn", "web");
            assertThat(report.run.trainSamples).isEqualTo(90);
            assertThat(report.run.testSamples).isEqualTo(30);
            assertThat(report.run.model).isEqualTo(model);
            assertThat(report.run.notes).contains("first 261 bytes of each of the first 3 packets");
            assertThat(folder.resolve("out").resolve(model + ".html")).isRegularFile();
            List<String> predictions = Files.readAllLines(folder.resolve("out").resolve(model + ".predictions.jsonl"));
            assertThat(predictions).as("one answer per test sample, by its line").hasSize(30);
            assertThat(predictions.get(0)).isEqualTo("{\"line\":1,\"expected\":\"tor\",\"predicted\":\"tor\",\"correct\":true}");
        }
    }

    @Test
    void theLinearModelLearnsAWordOfTheRequest() throws IOException {
        List<String> train = new ArrayList<>();
        List<String> test = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 80; i++) {
            boolean attack = i % 2 == 0;
            String query = "id=" + random.nextInt(1000) + (attack ? "&q=%27+OR+1%3D1--" : "&q=shoes");
            String line = request("{\"method\": \"GET\", \"url\": \"http://localhost:PORT_1/item?" + query
                    + "\", \"body\": \"\"}", attack ? "abnormal" : "normal");
            (i < 60 ? train : test).add(line);
        }
        Files.write(folder.resolve("web_detection_packet_train.jsonl"), train);
        Files.write(folder.resolve("web_detection_packet_test.jsonl"), test);

        CommandResult result = run("--train", folder.resolve("web_detection_packet_train.jsonl").toString(), "--test",
                folder.resolve("web_detection_packet_test.jsonl").toString(), "--model", "linear", "--out", out());

        assertThat(result.code()).as(result.err()).isZero();
        EvaluationReportDTO report = evaluation.readJson(folder.resolve("out/linear.json"));
        assertThat(report.accuracy).isEqualTo(1.0);
        assertThat(report.labels).as("no label file: sorted train labels").containsExactly("abnormal", "normal");
        assertThat(report.run.notes).contains("character 1- to 4-grams");
    }

    @Test
    void theRunIsDescribedByTheBuildersReportBesideTheTrainFile() throws IOException {
        writeFlows(folder, 30, 9);
        // The builder names its label file by absolute path; the run looks for that name beside the train file.
        Files.writeString(folder.resolve("renamed_label.json"), "{\"web\": 0, \"vpn\": 1, \"tor\": 2}");
        Files.writeString(folder.resolve("toy_detection_flow_report.json"), """
                {"datasetName": "toy", "layout": "toy-idx", "task": "MTD", "granularity": "FLOW",
                 "renderer": "payload-bytes", "split": "GROUP", "trainRatio": 0.8, "seed": 42, "masked": true,
                 "deduplicated": false, "capPerClass": 5000, "labelFile": "/elsewhere/data/renamed_label.json"}
                """);

        CommandResult result = run("--train", train(), "--test", test(), "--model", "gbt", "--out", out(), "--trees", "5");

        assertThat(result.code()).as(result.err()).isZero();
        EvaluationReportDTO report = evaluation.readJson(folder.resolve("out/gbt.json"));
        assertThat(report.labels).as("the report's label file, in its order").containsExactly("web", "vpn", "tor");
        assertThat(report.run.dataset).isEqualTo("toy (toy-idx, flow, payload-bytes, 3 classes)");
        assertThat(report.run.split).isEqualTo("group split, seed 42, train ratio 0.8, cap per class 5000");
        assertThat(report.run.masking).isEqualTo("masked (MAC, IP, port, time)");
        assertThat(report.run.task).isEqualTo("MTD");

        run("--train", train(), "--test", test(), "--model", "gbt", "--out", out(), "--trees", "5",
                "--split", "sample split", "--masking", "none");
        report = evaluation.readJson(folder.resolve("out/gbt.json"));
        assertThat(report.run.split).as("the command line wins").isEqualTo("sample split");
        assertThat(report.run.masking).isEqualTo("none");
    }

    @Test
    void badInputGivesOneLineNamingThePlace() throws IOException {
        writeFlows(folder, 30, 9);
        Path broken = folder.resolve("broken_test.jsonl");
        Files.writeString(broken, line("<pck>00", "tor") + "\n\n{\"instruction\": \"x\n<flow>: 00\"\n");

        assertError(run("--train", train(), "--test", folder.resolve("nope.jsonl").toString(), "--model", "rf",
                "--out", out()), 1, "baseline: " + folder.resolve("nope.jsonl") + ": no such file");
        assertError(run("--train", train(), "--test", broken.toString(), "--model", "rf", "--out", out()), 1,
                "baseline: " + broken + ":3: not JSON: ");
        Files.writeString(broken, "\n\n");
        assertError(run("--train", train(), "--test", broken.toString(), "--model", "rf", "--out", out()), 1,
                "baseline: " + broken + ": no samples");
        Files.writeString(broken, line("<pck>00", "tor") + "\n" + line("<pck>01", "ssh") + "\n" + line("<pck>02", "ssh"));
        assertError(run("--train", train(), "--test", broken.toString(), "--model", "rf", "--out", out()), 1,
                "baseline: " + broken + ":2: labels not seen in toy_detection_flow_train.jsonl: ssh (2 samples)");
        Files.writeString(broken, "{\"instruction\": \"no marker\", \"output\": \"tor\"}");
        assertError(run("--train", train(), "--test", broken.toString(), "--model", "rf", "--out", out()), 1,
                "baseline: " + broken + ":1: no traffic in the instruction");
        assertThat(folder.resolve("out")).doesNotExist();
    }

    @Test
    void badCommandLinesAreRefusedBeforeAnyWork() {
        assertError(run("--train", "a.jsonl", "--test", "b.jsonl", "--model", "svm", "--out", "o"), 2,
                "baseline: --model: 'svm' is none of rf, gbt, linear");
        assertError(run("--test", "b.jsonl", "--model", "rf", "--out", "o"), 2, "baseline: --train is required");
        assertError(run("--train", "a", "--test", "b", "--model", "rf", "--out", "o", "--trees", "0"), 2,
                "baseline: --trees: 0 is not between 1 and");
        assertError(run("--train", "a", "--ngrams", "4-2"), 2, "baseline: --ngrams: 4-2 is not MIN-MAX");
        assertError(run("--train"), 2, "baseline: --train: needs a value");
        CommandResult help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("usage: BaselineMain --train FILE --test FILE --model rf|gbt|linear --out DIR");
    }

    /**
     * Three classes of flows; the first 16 bytes of the second packet name the
     * class, everything else is noise. A label file in TrafficLLM's format sits beside them.
     */
    private static void writeFlows(Path folder, int train, int test) throws IOException {
        String[] labels = {"tor", "vpn", "web"};
        Random random = new Random(11);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < train + test; i++) {
            int c = i % 3;
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < 3; p++) {
                text.append("<pck>");
                int length = 20 + random.nextInt(20);
                for (int b = 0; b < length; b++) {
                    int value = p == 1 && b < 16 ? 0x10 * (c + 1) + b : random.nextInt(256);
                    text.append(String.format("%02x", value));
                }
            }
            lines.add(line(text.toString(), labels[c]));
        }
        Files.write(folder.resolve("toy_detection_flow_train.jsonl"), lines.subList(0, train));
        Files.write(folder.resolve("toy_detection_flow_test.jsonl"), lines.subList(train, train + test));
        Files.writeString(folder.resolve("toy_label.json"), "{\n    \"tor\": 0,\n    \"vpn\": 1,\n    \"web\": 2\n}");
    }

    private static String line(String traffic, String label) {
        return sample(PROMPT + traffic, label);
    }

    /** The builder's WAD sample: the request's JSON after the {@code <packet>} marker. */
    private static String request(String json, String label) {
        return sample("Classify the given HTTP request. The given HTTP request is as follows:\n<packet>: " + json, label);
    }

    private static String sample(String instruction, String label) {
        return "{\"instruction\": \"" + instruction.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                + "\", \"output\": \"" + label + "\"}";
    }

    private String train() {
        return folder.resolve("toy_detection_flow_train.jsonl").toString();
    }

    private String test() {
        return folder.resolve("toy_detection_flow_test.jsonl").toString();
    }

    private String out() {
        return folder.resolve("out").toString();
    }

    private static void assertError(CommandResult result, int code, String start) {
        result.assertError(code, start);
    }

    private static CommandResult run(String... args) {
        List<String> all = new ArrayList<>(List.of("--quiet"));
        all.addAll(List.of(args));
        return CommandResult.of(BaselineMain::run, all.toArray(String[]::new));
    }
}
