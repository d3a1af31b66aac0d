package org.trafficllm.baseline;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the dataset builder's JSON Lines files: one {@code {"instruction",
 * "output"}} object per line, the instruction being a task preamble, the marker
 * {@code \n<packet>: } or {@code \n<flow>: }, then the traffic text. The baselines
 * see only the traffic text, never the preamble. Blank lines are ignored; anything
 * else that is not such an object stops the read with its line number.
 */
public final class DatasetFile {
    private static final Pattern MARKER = Pattern.compile("\n<(packet|flow)>: ?");
    private final ObjectMapper json = new ObjectMapper();

    public List<TrafficSample> read(Path file, ProgressListener progress) throws BaselineException {
        List<TrafficSample> samples = new ArrayList<>();
        long size = size(file);
        long bytes = 0;
        int line = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                line++;
                bytes += text.length() + 1;
                if (text.isBlank()) {
                    continue;
                }
                samples.add(sample(file, line, text));
                if ((line & 0xfff) == 0) {
                    progress.progress("read " + file.getFileName(), Math.min(bytes, size), size);
                }
            }
        } catch (CharacterCodingException e) {
            throw new BaselineException(file + ":" + (line + 1) + ": not UTF-8");
        } catch (IOException e) {
            throw new BaselineException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (samples.isEmpty()) {
            throw new BaselineException(file + ": no samples");
        }
        progress.progress("read " + file.getFileName(), size, size);
        return samples;
    }

    private TrafficSample sample(Path file, int line, String text) throws BaselineException {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BaselineException(file + ":" + line + ": not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BaselineException(file + ":" + line + ": not a JSON object");
        }
        JsonNode instruction = node.get("instruction");
        JsonNode output = node.get("output");
        if (instruction == null || !instruction.isTextual()) {
            throw new BaselineException(file + ":" + line + ": no \"instruction\" string");
        }
        if (output == null || !output.isTextual() || output.asText().isBlank()) {
            throw new BaselineException(file + ":" + line + ": no \"output\" label");
        }
        return new TrafficSample(output.asText(), traffic(file, line, instruction.asText()), line);
    }

    /**
     * The text after the first marker. TrafficLLM's APT prompt has no marker, only a
     * line break before the traffic; such an instruction yields its last line.
     */
    static String traffic(Path file, int line, String instruction) throws BaselineException {
        Matcher marker = MARKER.matcher(instruction);
        if (marker.find()) {
            return instruction.substring(marker.end());
        }
        int lastBreak = instruction.lastIndexOf('\n');
        if (lastBreak < 0 || lastBreak == instruction.length() - 1) {
            throw new BaselineException(file + ":" + line
                    + ": no traffic in the instruction (no \\n<packet>: or \\n<flow>: marker, no line break)");
        }
        return instruction.substring(lastBreak + 1);
    }

    private static long size(Path file) throws BaselineException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new BaselineException(file + ": no such file");
        } catch (IOException e) {
            throw new BaselineException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
