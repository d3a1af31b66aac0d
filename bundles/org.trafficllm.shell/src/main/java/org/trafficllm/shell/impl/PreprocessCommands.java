package org.trafficllm.shell.impl;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.dataset.DatasetBuilder;
import org.trafficllm.api.dataset.InstructionSetBuilder;
import org.trafficllm.api.dataset.SplitMode;
import org.trafficllm.api.dataset.dto.DatasetRequestDTO;
import org.trafficllm.api.dataset.dto.DatasetResultDTO;
import org.trafficllm.api.dataset.dto.InstructionSetRequestDTO;
import org.trafficllm.api.dataset.dto.InstructionSetResultDTO;
import org.trafficllm.api.task.Granularity;

/**
 * {@code tllm:preprocess} (TrafficLLM's {@code preprocess_dataset.py}, with its
 * parameter names) and {@code tllm:instructions} (the stage-1 instruction set).
 */
@Component(service = PreprocessCommands.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=preprocess",
        "osgi.command.function=instructions" })
public class PreprocessCommands {
    private final DatasetBuilder datasets;
    private final InstructionSetBuilder instructions;

    @Activate
    public PreprocessCommands(@Reference DatasetBuilder datasets, @Reference InstructionSetBuilder instructions) {
        this.datasets = datasets;
        this.instructions = instructions;
    }

    @Descriptor("build a task's train/test JSON Lines and label file from captures or a public dataset")
    public DatasetResultDTO preprocess(
            @Descriptor("a folder of class folders of captures, a CSIC 2010 file or folder, a DeepTraffic idx folder, the nDPI folder")
            @Parameter(names = { "--input", "-i" }, absentValue = "") String input,
            @Descriptor("dataset name, e.g. ustc-tfc-2016, csic-2010, ndpi; picks the layout and the task")
            @Parameter(names = { "--dataset_name", "--dataset-name", "-d" }, absentValue = "") String datasetName,
            @Descriptor("detection or generation (default: from the task)")
            @Parameter(names = { "--traffic_task", "--traffic-task" }, absentValue = "") String trafficTask,
            @Descriptor("packet or flow")
            @Parameter(names = { "--granularity", "-g" }, absentValue = "packet") String granularity,
            @Descriptor("folder the files are written to")
            @Parameter(names = { "--output_path", "--output-path", "-o" }, absentValue = "") String outputPath,
            @Descriptor("file name prefix (default: the dataset name)")
            @Parameter(names = { "--output_name", "--output-name", "-n" }, absentValue = "") String outputName,
            @Descriptor("task id, e.g. MTD, WAD, EVD (default: from the dataset name)")
            @Parameter(names = { "--task", "-t" }, absentValue = "") String task,
            @Descriptor("dataset layout (default: from the dataset name); tllm:preprocess --layouts lists them")
            @Parameter(names = { "--layout" }, absentValue = "") String layout,
            @Descriptor("group: a flow or identical samples stay on one side; sample: TrafficLLM's per-sample split")
            @Parameter(names = { "--split" }, absentValue = "group") String split,
            @Descriptor("share of each class in the train file")
            @Parameter(names = { "--train-ratio" }, absentValue = "0.8") double trainRatio,
            @Descriptor("seed of every random choice")
            @Parameter(names = { "--seed" }, absentValue = "42") long seed,
            @Descriptor("at most this many samples per class, 0 for all (TrafficLLM used 5000)")
            @Parameter(names = { "--cap" }, absentValue = "0") int cap,
            @Descriptor("drop exact duplicate samples")
            @Parameter(names = { "--dedup" }, absentValue = "false", presentValue = "true") boolean dedup,
            @Descriptor("keep MAC/IP addresses, ports and times (masked by default)")
            @Parameter(names = { "--no-mask" }, absentValue = "false", presentValue = "true") boolean noMask,
            @Descriptor("how samples are written as text: flows of captures as flow-bytes (default), payload-bytes (payloads only, as DeepTraffic's records), flow-bytes-names (flow bytes after the name the flow asks for in clear: TLS/QUIC server name, HTTP host, DNS query) or flow-bytes-shape (flow bytes after the flow's packets and bytes each way, duration and directed payload sizes); packets of captures as traffic-words (default), http-request (the packets that carry a whole HTTP request, as TrafficLLM's web-attack JSON) or http-request-shape; CSIC requests as http-request (default) or http-request-shape (the request after each argument's name, length and character classes); any renderer a plugin bundle installs, by its name")
            @Parameter(names = { "--renderer" }, absentValue = "") String renderer,
            @Descriptor("layout options, key=value[,key=value], e.g. column=category")
            @Parameter(names = { "--options" }, absentValue = "") String options,
            @Descriptor("rename classes, old=new[,old=new]")
            @Parameter(names = { "--label-map" }, absentValue = "") String labelMap,
            @Descriptor("a UTF-8 file holding the samples' instruction instead of the task's TrafficLLM template: "
                    + "{traffic} (required), {granularity}, {labels} (the classes found)")
            @Parameter(names = { "--prompt-file" }, absentValue = "") String promptFile) throws Exception {
        DatasetRequestDTO request = new DatasetRequestDTO();
        request.input = required(input, "--input");
        request.datasetName = required(datasetName, "--dataset_name");
        request.trafficTask = blankToNull(trafficTask);
        request.granularity = Granularity.of(granularity);
        request.outputPath = required(outputPath, "--output_path");
        request.outputName = blankToNull(outputName);
        request.task = blankToNull(task);
        request.layout = blankToNull(layout);
        request.split = splitMode(split);
        request.trainRatio = trainRatio;
        request.seed = seed;
        request.capPerClass = cap;
        request.dedup = dedup;
        request.mask = !noMask;
        request.renderer = blankToNull(renderer);
        request.options = pairs(options, "--options");
        request.labelMap = pairs(labelMap, "--label-map");
        request.promptTemplate = promptFile.isBlank() ? null : text(promptFile, "--prompt-file");
        return datasets.build(request, new BuildProgressPrinter(System.err, "preprocess"));
    }

    @Descriptor("list the dataset layouts")
    public String preprocess(@Descriptor("--layouts") @Parameter(names = { "--layouts" }, absentValue = "false", presentValue = "true") boolean layouts) {
        if (!layouts) {
            throw new IllegalArgumentException("--input, --dataset_name and --output_path are required; 'help preprocess' explains the options");
        }
        return String.join("\n", datasets.layouts());
    }

    @Descriptor("build the stage-1 (router) instruction set: corrected labels, task ids, held-out split")
    public InstructionSetResultDTO instructions(
            @Descriptor("TrafficLLM's instruction.json (JSON Lines of instruction, output)")
            @Parameter(names = { "--input", "-i" }, absentValue = "") String input,
            @Descriptor("folder the files are written to")
            @Parameter(names = { "--output_path", "--output-path", "-o" }, absentValue = "") String outputPath,
            @Descriptor("file name prefix")
            @Parameter(names = { "--output_name", "--output-name", "-n" }, absentValue = "instruction") String outputName,
            @Descriptor("share of each task held out for the test file")
            @Parameter(names = { "--test-ratio" }, absentValue = "0.1") double testRatio,
            @Descriptor("seed of the split")
            @Parameter(names = { "--seed" }, absentValue = "42") long seed,
            @Descriptor("keep TrafficLLM's mislabelled web-attack and APT rows as they are")
            @Parameter(names = { "--no-correct" }, absentValue = "false", presentValue = "true") boolean noCorrect,
            @Descriptor("keep repeated instructions")
            @Parameter(names = { "--keep-duplicates" }, absentValue = "false", presentValue = "true") boolean keepDuplicates)
            throws Exception {
        InstructionSetRequestDTO request = new InstructionSetRequestDTO();
        request.input = required(input, "--input");
        request.outputPath = required(outputPath, "--output_path");
        request.outputName = outputName;
        request.testRatio = testRatio;
        request.seed = seed;
        request.correct = !noCorrect;
        request.dedup = !keepDuplicates;
        return instructions.build(request, new BuildProgressPrinter(System.err, "instructions"));
    }

    static SplitMode splitMode(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
        case "group":
        case "flow":
            return SplitMode.GROUP;
        case "sample":
        case "packet":
            return SplitMode.SAMPLE;
        default:
            throw new IllegalArgumentException("--split " + word + ": expected group or sample");
        }
    }

    static Map<String, String> pairs(String text, String option) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return map;
        }
        String key = null;
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 && key != null) {
                // a value that is itself a comma list, e.g. keep=TLS,QUIC
                map.put(key, map.get(key) + "," + pair.trim());
                continue;
            }
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " " + text + ": expected key=value[,key=value], got '" + pair + "'");
            }
            key = pair.substring(0, eq).trim();
            map.put(key, pair.substring(eq + 1).trim());
        }
        return map;
    }

    /** The whole of a small UTF-8 text file an option names. */
    static String text(String file, String option) {
        Path path = Paths.get(file);
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(option + " " + path + ": not UTF-8 text");
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + path + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + path + ": cannot read: " + e.getMessage());
        }
    }

    private static String required(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is required; 'help preprocess' explains the options");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
