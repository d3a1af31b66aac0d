package org.trafficllm.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;

/** Closed box: starts the real runtime through {@code runtime/trafficllm} and runs commands. */
class LauncherIT {

    @TempDir
    Path work;

    @Test
    void runsOneCommandAndExitsZero() throws Exception {
        Run run = trafficllm("info");
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("org.apache.felix.framework 7.").contains("org.trafficllm.shell").contains("ACTIVE");
    }

    @Test
    void helpListsTheCommandsAndExplainsOne() throws Exception {
        Run list = trafficllm("help");
        assertThat(list.exit).as(list.toString()).isZero();
        assertThat(list.out).contains("info").contains("help");
        Run one = trafficllm("--help", "info");
        assertThat(one.exit).as(one.toString()).isZero();
        assertThat(one.out).contains("usage: info");
    }

    @Test
    void unknownCommandIsAOneLineErrorAndNonZeroExit() throws Exception {
        Run run = trafficllm("no-such-command");
        assertThat(run.exit).as(run.toString()).isEqualTo(2);
        assertThat(run.err.strip().lines()).hasSize(1).first().asString().contains("unknown command 'no-such-command'");
        assertThat(run.out).isEmpty();
    }

    @Test
    void failingCommandIsAOneLineErrorAndNonZeroExit() throws Exception {
        Run run = trafficllm("help", "no-such-command");
        assertThat(run.exit).as(run.toString()).isEqualTo(1);
        assertThat(run.err.strip().lines()).hasSize(1).first().asString()
                .isEqualTo("trafficllm help: unknown command 'no-such-command'; 'help' lists the commands");
    }

    @Test
    void interactiveShellRunsCommandsFromStandardInput() throws Exception {
        Run run = trafficllmWithInput("tllm:help\n");
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("TrafficLLM commands").contains("info");
    }

    @Test
    void detectAnswersAQuestionAboutAnExampleCaptureOutOfTheBox() throws Exception {
        Run run = trafficllm("detect", example("http-get.pcap").toString(), "--ask",
                "is there malware here?", "--out", work.resolve("verdicts.jsonl").toString());
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("routed from \"is there malware here?\"").contains("by NLP")
                .containsPattern("task +MTD ").contains("flows classified").contains("TCP 127.0.0.1:");
        assertThat(Files.readAllLines(work.resolve("verdicts.jsonl"))).isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("\"taskVersion\":\"0.1.0.SNAPSHOT\""));
    }

    @Test
    void theShippedTasksServeAndTheFeaturesResolveInTheShippedRepository() throws Exception {
        Run tasks = trafficllm("tasks");
        assertThat(tasks.exit).as(tasks.toString()).isZero();
        assertThat(tasks.out.lines().filter(l -> l.contains("serving")).map(l -> l.split("\\s+")[0]))
                .containsExactlyInAnyOrder("EAC", "MTD", "NLP", "WAD");
        Run features = trafficllm("features");
        assertThat(features.exit).as(features.toString()).isZero();
        assertThat(features.out).contains("core", "training", "task-nlp", "task-mtd", "task-wad", "task-eac");
        assertThat(features.out.lines().skip(1)).as("nothing missing from the repository")
                .allSatisfy(l -> assertThat(l.split("\\s{2,}")[3]).isEqualTo("-"));
    }

    @Test
    void aDamagedCaptureIsAOneLineErrorAndNonZeroExit() throws Exception {
        byte[] whole = Files.readAllBytes(example("http-get.pcap"));
        Path damaged = Files.write(work.resolve("damaged.pcap"), java.util.Arrays.copyOf(whole, whole.length - 20));
        Run run = trafficllm("detect", damaged.toString(), "--task", "MTD");
        assertThat(run.exit).as(run.toString()).isEqualTo(1);
        assertThat(run.err.strip().lines()).hasSize(1).first().asString().startsWith("trafficllm detect: " + damaged + ": ");
    }

    @Test
    void dissectListsEveryPacketAndFlowOfACapture() throws Exception {
        Path capture = example("http-get.pcap");
        Run packets = trafficllm("dissect", capture.toString());
        assertThat(packets.exit).as(packets.toString()).isZero();
        assertThat(packets.out.strip().lines()).hasSize(13).first().asString().startsWith("no").contains("proto");
        assertThat(packets.out).contains("[SYN]").contains("[FIN,ACK]");
        Run flows = trafficllm("dissect", "--flows", capture.toString());
        assertThat(flows.exit).as(flows.toString()).isZero();
        assertThat(flows.out.strip().lines()).hasSize(2);
        assertThat(flows.out).contains("TCP").contains(" 12 ");
    }

    @Test
    void aTruncatedCaptureKeepsThePacketsBeforeTheDamageAndExitsNonZero() throws Exception {
        byte[] whole = Files.readAllBytes(example("http-get.pcap"));
        Path cut = work.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 30));
        Run run = trafficllm("dissect", cut.toString());
        assertThat(run.exit).as(run.toString()).isEqualTo(1);
        assertThat(run.out.strip().lines()).hasSize(12);
        assertThat(run.err.strip().lines()).hasSize(1).first().asString()
                .startsWith("trafficllm dissect: " + cut).contains("packet 12").contains("11 packets listed before it");
    }

    @Test
    void preprocessWritesADatasetFromAFolderOfClassFolders() throws Exception {
        Path input = work.resolve("classes");
        Files.createDirectories(input.resolve("web"));
        Files.createDirectories(input.resolve("dns"));
        Files.copy(example("http-get.pcap"), input.resolve("web/http-get.pcap"));
        Files.copy(example("dns-query.pcap"), input.resolve("dns/dns-query.pcap"));
        Path out = work.resolve("out");
        Run run = trafficllm("preprocess", "--input", input.toString(), "--dataset_name", "loopback", "--task", "EAC",
                "--output_path", out.toString(), "--train-ratio", "0.5");
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("groupsOnBothSides  0").contains("masked             true");
        assertThat(out.resolve("loopback_label.json")).exists();
        String train = Files.readString(out.resolve("loopback_detection_packet_train.jsonl"));
        String test = Files.readString(out.resolve("loopback_detection_packet_test.jsonl"));
        assertThat((train + test).lines()).hasSize(14).allSatisfy(line -> assertThat(line).contains("\"instruction\"")
                .contains("ENCRYPTED APP CLASSIFICATION").doesNotContain("127.0.0.1"));
    }

    @Test
    void tuneContinuesAShippedAdapterKeepingItsShapeAndRefusesAnotherShape() throws Exception {
        String[] labels = {"Neris", "Zeus", "Gmail"};
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 18; i++) {
            lines.append("{\"instruction\": \"Which application is this?\\n<flow>: <pck>474554202f").append(60 + 7 * i)
                    .append("20485454502f312e31").append(300 + i % 3).append("\", \"output\": \"")
                    .append(labels[i % 3]).append("\"}\n");
        }
        Path train = Files.writeString(work.resolve("mtd_train.jsonl"), lines);
        Path test = Files.writeString(work.resolve("mtd_test.jsonl"), lines.substring(0, lines.indexOf("\n",
                lines.indexOf("\n", lines.indexOf("\n") + 1) + 1) + 1));
        Path shipped = Path.of(System.getProperty("trafficllm.runtime", ".")).toAbsolutePath()
                .resolve("../bundles/org.trafficllm.task.mtd/src/main/adapter").normalize();
        Path out = work.resolve("mtd-update");
        Run run = trafficllm("tune", "--from", shipped.toString(), "--task-file", shipped.resolve("task.json").toString(),
                "--train", train.toString(),
                "--test", test.toString(), "--max-steps", "2", "--checkpoint-every", "1", "--batch", "4",
                "--validation-share", "0.34", "--out", out.toString(), "--progress", "0");
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.err).contains("continuing " + shipped, "validation at step 0: ", "(the adapter continued from)");
        JsonNode config = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
        assertThat(config.path("r").asInt()).isEqualTo(16);
        assertThat(config.path("target_modules")).hasSize(7);
        assertThat(out.resolve("MODEL.md")).content().contains("| started from | the weights of `" + shipped + "`");

        Run shape = trafficllm("tune", "--from", shipped.toString(), "--rank", "4", "--task", "MTD", "--train",
                train.toString(), "--test", test.toString(), "--out", work.resolve("never").toString());
        assertThat(shape.exit).as(shape.toString()).isEqualTo(1);
        assertThat(shape.err.strip().lines()).hasSize(1).first().asString().isEqualTo("trafficllm tune: --from "
                + shipped + " keeps that adapter's shape: leave out --peft, --rank, --alpha, --targets and --virtual-tokens");
        assertThat(work.resolve("never")).doesNotExist();
    }

    @Test
    void evalScoresAShippedTaskOnEverySampleOfATestFileAndRefusesABadLineWithExitOne() throws Exception {
        String[] labels = {"Neris", "Zeus", "Gmail"};
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            lines.append("{\"instruction\": \"Which application is this?\\n<flow>: <pck>474554202f").append(60 + 17 * i)
                    .append("20485454502f312e31").append(440 + i).append("\", \"output\": \"")
                    .append(labels[i % 3]).append("\"}\n");
        }
        Path test = Files.writeString(work.resolve("mtd_test.jsonl"), lines);
        Path out = work.resolve("eval");
        Run run = trafficllm("eval", "--traffic_task", "MTD", "--test_file", test.toString(), "--output_dir",
                out.toString(), "--progress", "0");
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("task         MTD, nano", "6 of 6 samples (every sample)", "accuracy     ",
                out.resolve("report.html").toString());
        assertThat(run.err).contains("eval: evaluate 6/6 samples (100%)");
        assertThat(out.resolve("report.json")).content().contains("\"samples\" : 6");
        assertThat(out.resolve("predictions.jsonl")).content().hasLineCount(6);

        Files.writeString(test, lines.toString().replaceFirst("\"output\": \"Zeus\"", "\"output\": "));
        Path never = work.resolve("never");
        Run bad = trafficllm("eval", "--task", "MTD", "--test", test.toString(), "--out", never.toString());
        assertThat(bad.exit).as(bad.toString()).isEqualTo(1);
        assertThat(bad.err.strip().lines()).hasSize(1).first().asString()
                .startsWith("trafficllm eval: " + test + ":2: not JSON: ");
        assertThat(never).doesNotExist();

        Run help = trafficllm("eval", "--help");
        assertThat(help.exit).as(help.toString()).isZero();
        assertThat(help.out).contains("usage: eval", "--test, --test_file", "--adapter, --ptuning_checkpoint");
    }

    @Test
    void aReferenceBaseModelDeployedBesideTheShippedOneGeneratesAndClassifiesLikeTheReferenceImplementation()
            throws Exception {
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Path jar = Path.of(System.getProperty("trafficllm.llamatiny"));
        Files.copy(jar, deploy.resolve(jar.getFileName()));
        JsonNode golden = new ObjectMapper().readTree(
                Path.of(System.getProperty("trafficllm.fixtures"), "llama-tiny", "golden.json").toFile()).get("cases").get(0);
        List<String> expected = new ArrayList<>();
        golden.get("greedy_new_tokens").forEach(t -> expected.add(t.asText()));

        Run models = start(null, deploy, "models");
        assertThat(models.exit).as(models.toString()).isZero();
        assertThat(models.out).contains("llama-tiny").contains("nano");

        Run generated = start(null, deploy, "generate", "--model", "llama-tiny", "--max-tokens", "12", golden.get("text").asText());
        assertThat(generated.exit).as(generated.toString()).isZero();
        assertThat(generated.out).contains("tokenIds      [" + String.join(", ", expected) + "]");

        Run classified = start(null, deploy, "classify", "--model", "llama-tiny", "--labels", "normal,abnormal", "GET /index.html");
        assertThat(classified.exit).as(classified.toString()).isZero();
        assertThat(classified.out).containsPattern("label +(normal|abnormal)").contains("probabilities");
    }

    @Test
    void theVendorExampleIsPackagedAndServesBesideTheShippedTasks() throws Exception {
        Path adapter = Path.of(System.getProperty("trafficllm.runtime", ".")).resolveSibling("examples")
                .resolve("vendor-adapter/src/main/adapter");
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        Path jar = deploy.resolve("com.example.traffic.task.evd-1.0.0.jar");
        // what the example's pom runs, through the runtime's own packager command
        Run packaged = start(null, work.resolve("empty-deploy"), "package", adapter.toString(),
                adapter.resolve("task.json").toString(), "--base", "nano", "--base-version", "1.0.0", "--version",
                "1.0.0", "--bsn", "com.example.traffic.task.evd", "--out", jar.toString());
        assertThat(packaged.exit).as(packaged.toString()).isZero();
        assertThat(jar).exists();

        Run tasks = start(null, deploy, "tasks");
        assertThat(tasks.exit).as(tasks.toString()).isZero();
        assertThat(tasks.out.lines().filter(l -> l.contains("serving")).map(l -> l.split("\\s+")[0]))
                .containsExactlyInAnyOrder("EAC", "EVD", "MTD", "NLP", "WAD");

        Path capture = Path.of(System.getProperty("trafficllm.data"), "ndpi", "pcap", "wireguard.pcap");
        Path verdicts = work.resolve("evd.jsonl");
        Run detected = start(null, deploy, "detect", capture.toString(), "--task", "EVD", "--out", verdicts.toString());
        assertThat(detected.exit).as(detected.toString()).isZero();
        assertThat(detected.out).containsPattern("task +EVD ").contains("flows classified");
        List<String> lines = Files.readAllLines(verdicts);
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode verdict = new ObjectMapper().readTree(line);
            assertThat(verdict.path("label").asText()).as(line).isIn("vpn", "non-vpn");
            assertThat(verdict.path("taskVersion").asText()).as(line).isEqualTo("1.0.0");
        }
    }

    private static Path example(String name) {
        return Path.of(System.getProperty("trafficllm.runtime", ".")).resolveSibling("examples").resolve("captures").resolve(name);
    }

    private Run trafficllm(String... args) throws IOException, InterruptedException {
        return start(null, null, args);
    }

    private Run trafficllmWithInput(String input) throws IOException, InterruptedException {
        return start(input, null);
    }

    private Run start(String input, Path deploy, String... args) throws IOException, InterruptedException {
        Path runtime = Path.of(System.getProperty("trafficllm.runtime", "."));
        List<String> command = new ArrayList<>();
        command.add(runtime.resolve("trafficllm").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("TRAFFICLLM_WORK", work.toString());
        // An empty deploy directory unless the test brings bundles; the PyTorch natives unpack once per checkout.
        pb.environment().put("TRAFFICLLM_DEPLOY", (deploy == null ? work.resolve("empty-deploy") : deploy).toString());
        String djlCache = System.getProperty("trafficllm.djl.cache");
        if (djlCache != null) {
            pb.environment().put("DJL_CACHE_DIR", djlCache);
        }
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p = pb.start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("trafficllm " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }
}
