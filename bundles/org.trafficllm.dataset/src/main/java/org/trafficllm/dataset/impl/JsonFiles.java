package org.trafficllm.dataset.impl;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.trafficllm.api.dataset.dto.DatasetResultDTO;
import org.trafficllm.api.dataset.dto.InstructionSetResultDTO;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The JSON this bundle writes: JSON Lines of instruction/output pairs, TrafficLLM's label file, reports. */
final class JsonFiles {
    private static final JsonFactory LINES = new JsonFactory().setRootValueSeparator(null);
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .addMixIn(DatasetResultDTO.class, WithoutTiming.class)
            .addMixIn(InstructionSetResultDTO.class, WithoutTiming.class);

    /** Reports leave out the wall time, so that the same build writes the same bytes. */
    @JsonIgnoreProperties("elapsedMillis")
    private abstract static class WithoutTiming {
    }

    private JsonFiles() {
    }

    /** Writes pairs to one JSON Lines file. */
    static final class PairWriter implements AutoCloseable {
        private final OutputStream out;
        private final JsonGenerator generator;

        PairWriter(Path file) throws IOException {
            out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            generator = LINES.createGenerator(out);
        }

        void write(String instruction, String output) throws IOException {
            write(instruction, output, -1);
        }

        /**
         * One line; {@code group} (when not negative) is the split group the sample fell
         * in, so later consumers (the tuning job's validation hold-out) keep a flow's
         * samples together. TrafficLLM's readers take the two text fields and ignore it.
         */
        void write(String instruction, String output, int group) throws IOException {
            generator.writeStartObject();
            generator.writeStringField("instruction", instruction);
            generator.writeStringField("output", output);
            if (group >= 0) {
                generator.writeNumberField("group", group);
            }
            generator.writeEndObject();
            generator.writeRaw('\n');
        }

        @Override
        public void close() throws IOException {
            generator.close();
            out.close();
        }
    }

    /**
     * TrafficLLM's label file, byte for byte as its {@code write_labels} makes it
     * ({@code json.dump(labels, indent=4, separators=(',', ': '))}).
     */
    static void writeLabels(Path file, List<String> labels) throws IOException {
        StringBuilder json = new StringBuilder("{");
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        for (int i = 0; i < labels.size(); i++) {
            json.append(i == 0 ? "\n" : ",\n").append("    \"");
            json.append(asciiOnly(encoder.quoteAsString(labels.get(i)))).append("\": ").append(i);
        }
        json.append(labels.isEmpty() ? "}" : "\n}");
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    /** Python's {@code ensure_ascii}: every non-ASCII character as a {@code \\uXXXX} escape. */
    private static String asciiOnly(char[] quoted) {
        StringBuilder out = new StringBuilder(quoted.length);
        for (char c : quoted) {
            if (c < 0x80) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** Any DTO as indented JSON; build results without their wall time. */
    static void writePretty(Path file, Object value) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            PRETTY.writeValue(writer, value);
        }
    }
}
