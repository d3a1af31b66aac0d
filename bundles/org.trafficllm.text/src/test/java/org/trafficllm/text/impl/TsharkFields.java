package org.trafficllm.text.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's tshark 4.0 over a capture with TrafficLLM's field list (the two
 * flag fields it renamed are asked for by their new names) and returns each
 * displayed packet's fields by frame number.
 */
final class TsharkFields {
    private TsharkFields() {
    }

    static Map<Long, Map<String, String>> run(Path capture, int maxPackets) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-T", "fields",
                "-E", "separator=/t", "-Y", "tcp or udp"));
        if (maxPackets > 0) {
            command.add("-c");
            command.add(Integer.toString(maxPackets));
        }
        for (String name : TrafficWordsFields.NAMES) {
            command.add("-e");
            command.add(TrafficWordsFields.TSHARK_4_NAMES.getOrDefault(name, name));
        }
        Path out = Files.createTempFile("tshark", ".tsv");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("tshark timed out on " + capture);
            }
            Map<Long, Map<String, String>> rows = new LinkedHashMap<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                String[] values = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < TrafficWordsFields.NAMES.size() && i < values.length; i++) {
                    if (!values[i].isEmpty()) {
                        row.put(TrafficWordsFields.NAMES.get(i), values[i]);
                    }
                }
                rows.put(Long.parseLong(row.get("frame.number")), row);
            }
            if (rows.isEmpty()) {
                throw new IOException("tshark printed nothing for " + capture + " (unknown field name?)");
            }
            return rows;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
