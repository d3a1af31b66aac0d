package org.trafficllm.tuning.impl;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.trafficllm.api.tuning.TuningException;

/**
 * A dataset builder's JSON Lines file: one {@code {"instruction": …, "output": …}}
 * per line, with the builder's split group ({@code "group"}, a number or text) when
 * it wrote one. Every line is checked when the file is read, so a malformed line stops
 * a job before it trains, named by its line number.
 */
final class DatasetFile {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One sample and where it came from; {@code group} is null when the line names none. */
    record Line(int number, String instruction, String output, String group) {
        Line(int number, String instruction, String output) {
            this(number, instruction, output, null);
        }
    }

    private DatasetFile() {
    }

    static List<Line> read(Path file) throws TuningException {
        List<Line> lines = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int number = 0;
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String text;
            while ((text = in.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                lines.add(parse(file, number, text));
            }
        } catch (NoSuchFileException e) {
            throw new TuningException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new TuningException(file + ":" + (number + 1) + ": not UTF-8 text");
        } catch (IOException e) {
            throw new TuningException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new TuningException(file + ": no samples (the file has no non-blank line)");
        }
        return lines;
    }

    private static Line parse(Path file, int number, String text) throws TuningException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new TuningException(file + ":" + number + ": not JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new TuningException(file + ":" + number + ": not a JSON object");
        }
        JsonNode group = node.get("group");
        if (group != null && !group.isNull() && !(group.isIntegralNumber() || group.isTextual())) {
            throw new TuningException(file + ":" + number + ": \"group\" is neither a whole number nor text");
        }
        return new Line(number, field(file, number, node, "instruction"), field(file, number, node, "output"),
                group == null || group.isNull() ? null : group.asText());
    }

    private static String field(Path file, int number, JsonNode node, String name) throws TuningException {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new TuningException(file + ":" + number + ": no \"" + name + "\" text");
        }
        return value.asText();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
