package org.trafficllm.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound on a small dataset whose figures are worked out by hand: classes a and b
 * share two opaque signatures (random packets of 300 and of 400 bytes), class c is
 * readable text.
 * <pre>
 *   300 bytes: train a 30, b 10; test a 9, b 3   (majority a)
 *   400 bytes: train a 5,  b 4;  test a 1, b 4   (majority a; the test labels favour b)
 *   text:      train c 20;       test c 6
 * </pre>
 * Majority rule: a answered 17 times, 10 right (F1 20/27), b never (0), c all right (1):
 * macro-F1 0.5802, accuracy 16/23. Oracle (400 bytes answered b): a 18/22, b 8/12, c 1:
 * macro-F1 0.8283, accuracy 19/23.
 */
class CeilingMainTest {
    private static final String PROMPT = "Which class?\n<flow>: ";
    private final Random random = new Random(3);

    @TempDir
    Path folder;

    @Test
    void theBoundIsWhatTheOpaqueSignaturesAllow() throws IOException {
        List<String> train = new ArrayList<>();
        add(train, "a", 300, 30);
        add(train, "b", 300, 10);
        add(train, "a", 400, 5);
        add(train, "b", 400, 4);
        addText(train, 20);
        List<String> test = new ArrayList<>();
        add(test, "a", 300, 9);
        add(test, "b", 300, 3);
        add(test, "a", 400, 1);
        add(test, "b", 400, 4);
        addText(test, 6);
        Files.write(folder.resolve("toy_detection_flow_train.jsonl"), train);
        Files.write(folder.resolve("toy_detection_flow_test.jsonl"), test);
        // A model that is right on the text and answers b on every opaque sample: 7 of 17 opaque right.
        List<String> predictions = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            String expected = i < 9 ? "a" : i < 12 ? "b" : i < 13 ? "a" : i < 17 ? "b" : "c";
            String predicted = i < 17 ? "b" : "c";
            predictions.add("{\"line\":" + (i + 1) + ",\"expected\":\"" + expected + "\",\"predicted\":\"" + predicted
                    + "\"}");
        }
        Files.write(folder.resolve("predictions.jsonl"), predictions);
        Path md = folder.resolve("ceiling.md");

        CommandResult result = run("--train", file("train"), "--test", file("test"), "--predictions",
                "allb=" + folder.resolve("predictions.jsonl"), "--out", md.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("Opaque samples (every packet random-looking bytes, at least 256 of them, "
                + "only TLS record headers readable): 17 of 23 test samples (73.9 %), 49 of 69 training samples.");
        assertThat(result.out()).contains("| 1 packet: 300 bytes | a 9, b 3 | a 30, b 10 | a (9 of 12 right) | 3 of 12 |");
        assertThat(result.out()).contains("| 1 packet: 400 bytes | a 1, b 4 | a 5, b 4 | a (1 of 5 right) | 4 of 5 |");
        assertThat(result.out()).contains("| by their signature's training majority | 0.6957 | 0.5802 |");
        assertThat(result.out()).contains("| by the one label per signature the test labels favour (oracle) | 0.8261 | 0.8283 |");
        // allb: text right (1.0), opaque 7 of 17; with the majority on opaque it is the majority bound;
        // with the text right it is itself.
        assertThat(result.out()).contains("| allb | 0.5278 | 1.0000 | 0.4118 | 0.5802 | 0.5278 |");
        assertThat(Files.readString(md)).isEqualTo(result.out());
    }

    @Test
    void badPredictionsGiveOneLineNamingThePlace() throws IOException {
        List<String> samples = new ArrayList<>();
        add(samples, "a", 300, 2);
        addText(samples, 2);
        Files.write(folder.resolve("toy_detection_flow_train.jsonl"), samples);
        Files.write(folder.resolve("toy_detection_flow_test.jsonl"), samples);
        Path p = folder.resolve("p.jsonl");

        Files.writeString(p, "{\"line\":1,\"predicted\":\"a\"}\n{\"line\":2,\"predicted\":\"a\"}\n{\"line\":3,\"predicted\":\"c\"}\n");
        assertError(run("--train", file("train"), "--test", file("test"), "--predictions", "m=" + p), 1,
                "ceiling: " + p + ": no prediction for line 4 of " + file("test"));
        Files.writeString(p, "{\"line\":1,\"predicted\":\"a\"}\n{\"line\":9,\"predicted\":\"a\"}\n");
        assertError(run("--train", file("train"), "--test", file("test"), "--predictions", "m=" + p), 1,
                "ceiling: " + p + ":2: line 9 is no sample of " + file("test"));
        Files.writeString(p, "{\"line\":1,\"predicted\":\"a\"}\n{\"line\":1,\"predicted\":\"a\"}\n");
        assertError(run("--train", file("train"), "--test", file("test"), "--predictions", "m=" + p), 1,
                "ceiling: " + p + ":2: a second prediction for line 1");
        Files.writeString(p, "{\"line\":1,\"predicted\":\"a\"}\n{\"line\":\n");
        assertError(run("--train", file("train"), "--test", file("test"), "--predictions", "m=" + p), 1,
                "ceiling: " + p + ":2: not JSON: ");
        Path strange = folder.resolve("strange_test.jsonl");
        Files.write(strange, List.of(samples.get(0), line("<pck>00", "ssh")));
        assertError(run("--train", file("train"), "--test", strange.toString()), 1,
                "ceiling: " + strange + ":2: label 'ssh' is not a training label");
        assertError(run("--train", file("train"), "--test", file("test"), "--predictions", "m=" + folder.resolve("no")),
                1, "ceiling: " + folder.resolve("no") + ": no such file");
        assertError(run("--train", file("train"), "--test", file("test"), "--predictions", "m"), 2,
                "ceiling: --predictions: 'm' is not NAME=FILE");
        assertError(run("--train", file("train"), "--margin", "9"), 2,
                "ceiling: --margin: '9' is not a number of bits between 0 and 8");
        assertError(run("--train", file("train")), 2, "ceiling: --test is required");
        CommandResult help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("usage: CeilingMain --train FILE --test FILE");
    }

    private void add(List<String> lines, String label, int bytes, int count) {
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[bytes];
            random.nextBytes(b);
            lines.add(line("<pck>" + HexFormat.of().formatHex(b), label));
        }
    }

    private void addText(List<String> lines, int count) {
        for (int i = 0; i < count; i++) {
            lines.add(line("<pck>" + HexFormat.of().formatHex(("USER anonymous " + i + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII)), "c"));
        }
    }

    private static String line(String traffic, String label) {
        return "{\"instruction\": \"" + PROMPT.replace("\n", "\\n") + traffic + "\", \"output\": \"" + label + "\"}";
    }

    private String file(String part) {
        return folder.resolve("toy_detection_flow_" + part + ".jsonl").toString();
    }

    private static void assertError(CommandResult result, int code, String start) {
        result.assertError(code, start);
    }

    private static CommandResult run(String... args) {
        return CommandResult.of(CeilingMain::run, args);
    }
}
