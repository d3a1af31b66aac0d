package org.trafficllm.tokenizer.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's real traffic text, split so that the measured texts come from unseen sources. */
final class TrafficCorpora {
    private TrafficCorpora() {
    }

    static List<TokenCountBenchmarkTest.Corpus> all() throws IOException {
        List<TokenCountBenchmarkTest.Corpus> out = new ArrayList<>();
        List<String> test = new ArrayList<>(TextSamples.httpRequests("normalTrafficTest.txt.gz", 2000));
        test.addAll(TextSamples.httpRequests("anomalousTrafficTest.txt.gz", 2000));
        out.add(new TokenCountBenchmarkTest.Corpus("HTTP requests (CSIC 2010)", "request",
                "train: normalTrafficTraining; test: first 2000 of normalTrafficTest and of anomalousTrafficTest",
                TextSamples.httpRequests("normalTrafficTraining.txt.gz", 20000), test));
        return out;
    }

    /** CPU model and core count, from the running machine. */
    static String machine() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            model = "unknown CPU (" + e.getMessage() + ")";
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version");
    }
}
