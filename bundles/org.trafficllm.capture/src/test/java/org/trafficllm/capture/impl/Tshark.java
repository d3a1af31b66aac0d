package org.trafficllm.capture.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tshark as the reference dissector and returns its tab-separated field rows. */
final class Tshark {
    private Tshark() {
    }

    static List<String[]> fields(Path capture, String displayFilter, String... fields) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=a"));
        if (displayFilter != null) {
            command.add("-Y");
            command.add(displayFilter);
        }
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        Path out = Files.createTempFile("tshark", ".tsv");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("tshark timed out on " + capture);
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                rows.add(line.split("\t", -1));
            }
            return rows;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
