package org.trafficllm.dataset.impl;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.dataset.BuildProgressListener;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.InstructionSetBuilder;
import org.trafficllm.api.dataset.SplitMode;
import org.trafficllm.api.dataset.dto.ClassCountDTO;
import org.trafficllm.api.dataset.dto.CorrectionDTO;
import org.trafficllm.api.dataset.dto.InstructionSetRequestDTO;
import org.trafficllm.api.dataset.dto.InstructionSetResultDTO;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The stage-1 (router) dataset: TrafficLLM's {@code instruction.json} with its
 * mislabelled rows corrected by {@link InstructionCorrection}, task names checked
 * against the catalog, exact repeats dropped, and a seeded split per task that keeps
 * identical instructions on one side.
 */
@Component(service = InstructionSetBuilder.class)
public class StageOneInstructionBuilder implements InstructionSetBuilder {
    static final int EXAMPLES = 5;

    private final TaskCatalog catalog;
    private final ObjectMapper json = new ObjectMapper();

    @Activate
    public StageOneInstructionBuilder(@Reference(name = "catalog") TaskCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public InstructionSetResultDTO build(InstructionSetRequestDTO request, BuildProgressListener listener)
            throws DatasetException {
        long start = System.nanoTime();
        if (request.input == null || request.outputPath == null) {
            throw new DatasetException(request.input == null ? "input is missing" : "outputPath is missing");
        }
        if (!(request.testRatio > 0 && request.testRatio < 1)) {
            throw new DatasetException("testRatio " + request.testRatio + " is not between 0 and 1");
        }
        Path input = Paths.get(request.input);
        Path output = Paths.get(request.outputPath);
        String name = request.outputName == null ? "instruction" : request.outputName;
        Map<String, String> ids = taskIds();
        InstructionSetResultDTO result = new InstructionSetResultDTO();
        Map<String, CorrectionDTO> corrections = new LinkedHashMap<>();
        if (request.correct) {
            for (InstructionCorrection.Rule rule : InstructionCorrection.RULES) {
                CorrectionDTO dto = new CorrectionDTO();
                dto.rule = rule.name();
                dto.from = rule.from();
                dto.to = rule.to();
                dto.description = rule.description();
                corrections.put(rule.name(), dto);
                result.corrections.add(dto);
            }
        }
        ProgressMeter meter = new ProgressMeter(listener);
        meter.phase("read", size(input), "bytes");
        List<String> instructions = new ArrayList<>();
        List<String> tasks = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Set<String>> distinct = new LinkedHashMap<>();
        long lineNumber = 0;
        long bytes = 0;
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                bytes += line.length() + 1;
                if (line.isBlank()) {
                    continue;
                }
                result.rows++;
                String where = input.getFileName() + ": line " + lineNumber;
                JsonNode row;
                try {
                    row = json.readTree(line);
                } catch (JsonProcessingException e) {
                    skip(result, where, "not JSON: " + e.getOriginalMessage());
                    continue;
                }
                JsonNode instructionNode = row.get("instruction");
                JsonNode outputNode = row.get("output");
                if (instructionNode == null || !instructionNode.isTextual() || outputNode == null
                        || !outputNode.isTextual()) {
                    skip(result, where, "no text fields 'instruction' and 'output'");
                    continue;
                }
                String instruction = instructionNode.asText();
                String task = outputNode.asText().trim();
                InstructionCorrection.Rule rule = request.correct ? InstructionCorrection.ruleFor(task, instruction)
                        : null;
                if (rule != null) {
                    CorrectionDTO dto = corrections.get(rule.name());
                    dto.rows++;
                    if (distinct.computeIfAbsent(rule.name(), k -> new HashSet<>()).add(instruction)) {
                        dto.distinctInstructions++;
                    }
                    if (dto.examples.size() < EXAMPLES) {
                        dto.examples.add(instruction);
                    }
                    task = rule.to();
                }
                if (!ids.containsKey(task)) {
                    skip(result, where, "unknown task name '" + task + "'");
                    continue;
                }
                if (request.dedup && !seen.add(task + '\u0000' + instruction)) {
                    result.duplicatesRemoved++;
                    continue;
                }
                instructions.add(instruction);
                tasks.add(task);
                meter.update(bytes, -1, null, instructions.size());
            }
        } catch (IOException e) {
            throw new DatasetException(input + ": cannot read after line " + lineNumber + ": " + e.getMessage(), e);
        }
        meter.finish(instructions.size());
        if (instructions.isEmpty()) {
            throw new DatasetException(input + ": no usable instruction");
        }

        List<String> labels = new ArrayList<>();
        for (String task : ids.keySet()) {
            if (tasks.contains(task)) {
                labels.add(task);
                result.taskIds.put(task, ids.get(task));
            }
        }
        int[] classOf = new int[tasks.size()];
        for (int i = 0; i < classOf.length; i++) {
            classOf[i] = labels.indexOf(tasks.get(i));
        }
        GroupSplit.Outcome outcome = GroupSplit.split(classOf, Collections.nCopies(classOf.length, null), instructions, labels.size(), SplitMode.GROUP,
                1 - request.testRatio, request.seed);
        result.conflictingInstructions = outcome.conflictingTexts;
        for (int c = 0; c < labels.size(); c++) {
            ClassCountDTO count = new ClassCountDTO();
            count.label = labels.get(c);
            count.index = c;
            result.tasks.add(count);
        }
        for (int i = 0; i < classOf.length; i++) {
            ClassCountDTO count = result.tasks.get(classOf[i]);
            count.read++;
            if (outcome.test[i]) {
                count.test++;
                result.test++;
            } else {
                count.train++;
                result.train++;
            }
        }

        result.trainFile = output.resolve(name + "_train.jsonl").toString();
        result.testFile = output.resolve(name + "_test.jsonl").toString();
        result.labelFile = output.resolve(name + "_label.json").toString();
        result.taskFile = output.resolve(name + "_tasks.json").toString();
        result.reportFile = output.resolve(name + "_report.json").toString();
        meter.phase("write", classOf.length, "rows");
        try (StagedFiles files = new StagedFiles(output)) {
            try {
                write(files.stage(name + "_train.jsonl"), outcome.test, false, request.seed ^ 0x7261696EL,
                        instructions, tasks, meter);
                write(files.stage(name + "_test.jsonl"), outcome.test, true, request.seed ^ 0x74657374L,
                        instructions, tasks, meter);
                JsonFiles.writeLabels(files.stage(name + "_label.json"), labels);
                JsonFiles.writePretty(files.stage(name + "_tasks.json"), result.taskIds);
                result.elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                JsonFiles.writePretty(files.stageMarker(name + "_report.json"), result);
            } catch (IOException e) {
                throw new DatasetException(output + ": cannot write the instruction set: " + e.getMessage(), e);
            }
            files.commit();
        }
        meter.finish(classOf.length);
        return result;
    }

    private static void write(Path file, boolean[] test, boolean side, long seed, List<String> instructions,
            List<String> tasks, ProgressMeter meter) throws IOException {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < test.length; i++) {
            if (test[i] == side) {
                chosen.add(i);
            }
        }
        int[] order = chosen.stream().mapToInt(Integer::intValue).toArray();
        GroupSplit.shuffle(order, new Random(seed));
        try (JsonFiles.PairWriter writer = new JsonFiles.PairWriter(file)) {
            int n = 0;
            for (int i : order) {
                writer.write(instructions.get(i), tasks.get(i));
                meter.update(++n, test.length, null, test.length);
            }
        }
    }

    /** Task name to id for every detection and generation task, in catalog order. */
    private Map<String, String> taskIds() {
        Map<String, String> ids = new LinkedHashMap<>();
        for (TaskDescriptorDTO task : catalog.tasks()) {
            if (task.kind != TaskKind.ROUTER) {
                ids.put(task.name, task.id);
            }
        }
        return ids;
    }

    private static void skip(InstructionSetResultDTO result, String where, String reason) {
        result.skipped++;
        if (result.skipMessages.size() < SampleCollector.MAX_SKIP_MESSAGES) {
            result.skipMessages.add(where + ": " + reason);
        }
    }

    /** File size for progress, -1 when unknown. */
    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
