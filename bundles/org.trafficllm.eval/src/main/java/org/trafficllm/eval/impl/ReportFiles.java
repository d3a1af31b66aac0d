package org.trafficllm.eval.impl;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.trafficllm.api.eval.dto.EvaluationReportDTO;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * JSON form of a report and the file writing shared by both formats: a report is
 * written beside its target and moved into place, so a reader never sees half a
 * report and a failed write leaves the previous one intact.
 */
final class ReportFiles {
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ObjectMapper compact = new ObjectMapper();

    String toJson(EvaluationReportDTO report) throws JsonProcessingException {
        return json.writeValueAsString(report);
    }

    EvaluationReportDTO fromJson(Path file) throws IOException {
        try {
            return json.readValue(file.toFile(), EvaluationReportDTO.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not an evaluation report: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        }
    }

    /**
     * The report as a JSON text safe inside an HTML {@code <script>} element: the
     * characters that could end the element or start markup, and the two line
     * separators JavaScript treats as line ends, are written as {@code \\u} escapes.
     * They can only occur inside JSON strings, where the escape means the same.
     */
    String toScriptJson(EvaluationReportDTO report) throws JsonProcessingException {
        String text = compact.writeValueAsString(report);
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
            case '<':
            case '>':
            case '&':
            case '\u2028':
            case '\u2029':
                out.append(String.format("\\u%04x", (int) c));
                break;
            default:
                out.append(c);
            }
        }
        return out.toString();
    }

    static void write(Path file, Content content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path folder = absolute.getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        Path part = absolute.resolveSibling("." + absolute.getFileName() + ".part");
        try {
            try (Writer out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                content.writeTo(out);
            }
            try {
                Files.move(part, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw new IOException(file + ": cannot write the report: " + e.getMessage(), e);
        }
    }

    interface Content {
        void writeTo(Writer out) throws IOException;
    }
}
