package org.trafficllm.dataset.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.trafficllm.api.dataset.BuildProgressListener;
import org.trafficllm.api.dataset.DatasetBuilder;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.DatasetLayout;
import org.trafficllm.api.dataset.DatasetLayoutService;
import org.trafficllm.api.dataset.dto.ClassCountDTO;
import org.trafficllm.api.dataset.dto.DatasetRequestDTO;
import org.trafficllm.api.dataset.dto.DatasetResultDTO;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.text.MaskedIdentifier;

/**
 * TrafficLLM's {@code preprocess_dataset.py} as a service: picks the task and the
 * layout, lets the layout read the corpus, splits, and writes
 * {@code <name>_<detection|generation>_<granularity>_{train,test}.jsonl},
 * {@code <name>_label.json}, the dataset's {@code task.json} and a report, all or
 * nothing.
 */
@Component(service = DatasetBuilder.class)
public class TrafficDatasetBuilder implements DatasetBuilder {
    /** The layout used when neither the request nor the dataset name picks one. */
    static final String DEFAULT_LAYOUT = "class-folders";
    /** The field of a request's prompt template that becomes the list of classes. */
    static final String LABELS = "labels";

    private static final Map<String, String> DETECTION_TASK_BY_DATASET = Map.of(
            "ustc-tfc-2016", "MTD", "iscx-botnet", "BND", "iscx-vpn-2016", "EVD", "lfett-2021", "EVD",
            "dohbrw-2020", "MDD", "iscx-tor-2016", "TBD", "dapt-2020", "AAD", "csic-2010", "WAD");
    private static final Map<String, String> GENERATION_TASK_BY_DATASET = Map.of(
            "ustc-tfc-2016", "MTG", "iscx-botnet", "BTG", "iscx-vpn-2016", "EVG", "lfett-2021", "EVG");

    private final TaskCatalog catalog;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Map.Entry<Map<String, ?>, DatasetLayout>> layouts = new ArrayList<>();

    @Activate
    public TrafficDatasetBuilder(@Reference(name = "catalog") TaskCatalog catalog) {
        this.catalog = catalog;
    }

    /** For tests and embedding without a framework: a layout registered under {@code name}. */
    void addLayout(String name, DatasetLayout layout, String... datasets) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(DatasetLayoutService.NAME_PROPERTY, name);
        properties.put(DatasetLayoutService.DATASETS_PROPERTY, datasets);
        List<Map.Entry<Map<String, ?>, DatasetLayout>> next = new ArrayList<>(layouts);
        next.add(new AbstractMap.SimpleImmutableEntry<>(properties, layout));
        layouts = next;
    }

    @Override
    public List<String> layouts() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<Map<String, ?>, DatasetLayout> entry : layouts) {
            names.add(String.valueOf(entry.getKey().get(DatasetLayoutService.NAME_PROPERTY)));
        }
        names.sort(null);
        return names;
    }

    @Override
    public DatasetResultDTO build(DatasetRequestDTO request, BuildProgressListener listener) throws DatasetException {
        long start = System.nanoTime();
        Path input = path(request.input, "input");
        if (!Files.exists(input)) {
            throw new DatasetException(input + ": no such file or folder");
        }
        Path outputFolder = path(request.outputPath, "outputPath");
        if (!(request.trainRatio > 0 && request.trainRatio < 1)) {
            throw new DatasetException("trainRatio " + request.trainRatio + " is not between 0 and 1");
        }
        if (request.capPerClass < 0) {
            throw new DatasetException("capPerClass " + request.capPerClass + " is negative");
        }
        Granularity granularity = request.granularity == null ? Granularity.PACKET : request.granularity;
        String datasetName = request.datasetName != null ? request.datasetName : input.getFileName().toString();
        TaskDescriptorDTO task = task(request, datasetName, granularity);
        String promptTemplate = promptTemplate(request);
        Map.Entry<String, DatasetLayout> layout = layout(request.layout, datasetName);
        if (!layout.getValue().granularities().contains(granularity)) {
            throw new DatasetException("layout " + layout.getKey() + " cannot make " + granularity.word()
                    + " samples; it makes " + words(layout.getValue()));
        }
        String requested = request.renderer == null || request.renderer.isBlank() ? null : request.renderer.trim();
        String renderer = layout.getValue().renderer(granularity, task.kind, requested);
        String outputName = request.outputName != null ? request.outputName : datasetName;

        ProgressMeter meter = new ProgressMeter(listener);
        SampleCollector collector = new SampleCollector(input, granularity, task.kind, renderer, request.mask,
                nonNull(request.options), nonNull(request.labelMap), request.dedup, request.capPerClass,
                request.seed, meter);
        meter.phase("read", -1, "records");
        try {
            layout.getValue().read(collector);
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(input + ": " + layout.getKey() + " failed: " + e.getMessage(), e);
        }
        meter.finish(collector.samplesRead());

        DatasetResultDTO result = new DatasetResultDTO();
        result.datasetName = datasetName;
        result.layout = layout.getKey();
        result.task = task.id;
        result.trafficTask = task.kind.word();
        result.granularity = granularity;
        result.renderer = renderer;
        result.split = request.split;
        result.trainRatio = request.trainRatio;
        result.seed = request.seed;
        result.masked = request.mask;
        result.deduplicated = request.dedup;
        result.capPerClass = request.capPerClass;
        result.skipped.putAll(collector.skipped());
        result.dropped.putAll(collector.dropped());
        result.skipMessages.addAll(collector.skipMessages());

        List<SampleCollector.ClassBucket> classes = collector.classesInOrder();
        if (classes.stream().allMatch(bucket -> bucket.kept.isEmpty())) {
            throw new DatasetException(input + ": no samples found by layout " + layout.getKey()
                    + (result.skipped.isEmpty() ? "" : "; left out: " + result.skipped));
        }
        meter.phase("split", -1, "samples");
        List<String> labels = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        int total = 0;
        for (SampleCollector.ClassBucket bucket : classes) {
            labels.add(bucket.label);
            total += bucket.kept.size();
        }
        int[] classOf = new int[total];
        int k = 0;
        for (int c = 0; c < classes.size(); c++) {
            for (SampleCollector.Kept sample : classes.get(c).kept) {
                classOf[k++] = c;
                groups.add(sample.group());
                texts.add(sample.text());
            }
        }
        GroupSplit.Outcome outcome = GroupSplit.split(classOf, groups, texts, classes.size(), request.split,
                request.trainRatio, request.seed);
        meter.finish(total);

        task.granularity = granularity;
        task.renderer = renderer;
        task.labels = labels;
        task.mask = request.mask ? List.of(MaskedIdentifier.values()) : List.of();
        if (promptTemplate != null) {
            task.promptTemplate = promptTemplate.replace("{" + LABELS + "}", String.join(", ", labels));
            task.templateSource = "the dataset request";
        }
        String stem = outputName + "_" + task.kind.word() + "_" + granularity.word();
        try (StagedFiles files = new StagedFiles(outputFolder)) {
            meter.phase("write", total, "samples");
            int[] trainOrder = order(outcome.test, false, request.seed ^ 0x7261696EL);
            int[] testOrder = order(outcome.test, true, request.seed ^ 0x74657374L);
            Path trainTemp = files.stage(stem + "_train.jsonl");
            Path testTemp = files.stage(stem + "_test.jsonl");
            long[] written = new long[1];
            try {
                writePairs(trainTemp, trainOrder, task, labels, classOf, texts, outcome.group, meter, written);
                writePairs(testTemp, testOrder, task, labels, classOf, texts, outcome.group, meter, written);
                if (task.kind == TaskKind.DETECTION) {
                    JsonFiles.writeLabels(files.stage(outputName + "_label.json"), labels);
                    result.labelFile = outputFolder.resolve(outputName + "_label.json").toString();
                }
                JsonFiles.writePretty(files.stage(stem + "_task.json"), task);
            } catch (IOException e) {
                throw new DatasetException(outputFolder + ": cannot write the dataset: " + e.getMessage(), e);
            }
            meter.finish(total);
            result.trainFile = outputFolder.resolve(stem + "_train.jsonl").toString();
            result.testFile = outputFolder.resolve(stem + "_test.jsonl").toString();
            result.taskFile = outputFolder.resolve(stem + "_task.json").toString();
            result.reportFile = outputFolder.resolve(stem + "_report.json").toString();
            count(result, classes, outcome);
            result.elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            try {
                JsonFiles.writePretty(files.stageMarker(stem + "_report.json"), result);
            } catch (IOException e) {
                throw new DatasetException(result.reportFile + ": cannot write the report: " + e.getMessage(), e);
            }
            files.commit();
        }
        return result;
    }

    private void writePairs(Path file, int[] order, TaskDescriptorDTO task, List<String> labels, int[] classOf,
            List<String> texts, int[] group, ProgressMeter meter, long[] written) throws IOException {
        Map<String, String> fields = new HashMap<>();
        fields.put(TaskCatalog.GRANULARITY, task.granularity.word());
        try (JsonFiles.PairWriter writer = new JsonFiles.PairWriter(file)) {
            for (int i : order) {
                fields.put(TaskCatalog.TRAFFIC, texts.get(i));
                fields.put(TaskCatalog.LABEL, labels.get(classOf[i]));
                writer.write(catalog.fill(task.promptTemplate, fields), catalog.fill(task.outputTemplate, fields),
                        group[i]);
                meter.update(++written[0], classOf.length, null, classOf.length);
            }
        }
    }

    private static void count(DatasetResultDTO result, List<SampleCollector.ClassBucket> classes,
            GroupSplit.Outcome outcome) {
        int k = 0;
        for (int c = 0; c < classes.size(); c++) {
            SampleCollector.ClassBucket bucket = classes.get(c);
            ClassCountDTO count = new ClassCountDTO();
            count.label = bucket.label;
            count.index = c;
            count.read = bucket.read;
            count.duplicates = bucket.duplicates;
            count.capped = bucket.capped();
            for (int i = 0; i < bucket.kept.size(); i++, k++) {
                if (outcome.test[k]) {
                    count.test++;
                } else {
                    count.train++;
                }
            }
            result.classes.add(count);
            result.samplesRead += count.read;
            result.duplicatesRemoved += count.duplicates;
            result.cappedOut += count.capped;
            result.train += count.train;
            result.test += count.test;
        }
        result.conflictingTexts = outcome.conflictingTexts;
        result.groups = outcome.groups;
        result.trainGroups = outcome.trainGroups;
        result.testGroups = outcome.testGroups;
        result.groupsOnBothSides = outcome.groupsOnBothSides;
    }

    /** The indexes on one side, in a seeded order (TrafficLLM shuffles each file too). */
    private static int[] order(boolean[] test, boolean side, long seed) {
        int count = 0;
        for (boolean t : test) {
            count += t == side ? 1 : 0;
        }
        int[] order = new int[count];
        int k = 0;
        for (int i = 0; i < test.length; i++) {
            if (test[i] == side) {
                order[k++] = i;
            }
        }
        GroupSplit.shuffle(order, new Random(seed));
        return order;
    }

    /** The request's own instruction template, checked before anything is read; null for the task's. */
    private static String promptTemplate(DatasetRequestDTO request) throws DatasetException {
        String template = request.promptTemplate;
        if (template == null) {
            return null;
        }
        if (template.isBlank()) {
            throw new DatasetException("promptTemplate is empty");
        }
        if (!template.contains("{" + TaskCatalog.TRAFFIC + "}")) {
            throw new DatasetException("promptTemplate has no {" + TaskCatalog.TRAFFIC
                    + "} field, so the samples' traffic would not be in it");
        }
        return template;
    }

    private TaskDescriptorDTO task(DatasetRequestDTO request, String datasetName, Granularity granularity)
            throws DatasetException {
        TaskKind kind;
        try {
            kind = request.trafficTask == null ? null : TaskKind.of(request.trafficTask);
        } catch (IllegalArgumentException e) {
            throw new DatasetException("trafficTask: " + e.getMessage());
        }
        String id = request.task;
        if (id == null) {
            String key = datasetName.toLowerCase(Locale.ROOT);
            id = kind == TaskKind.GENERATION ? GENERATION_TASK_BY_DATASET.getOrDefault(key, "EAG")
                    : DETECTION_TASK_BY_DATASET.getOrDefault(key, "EAC");
        }
        String wanted = id;
        TaskDescriptorDTO task = catalog.task(id, granularity).orElseThrow(() -> new DatasetException(
                catalog.task(wanted).isPresent() ? "task " + wanted + " has no " + granularity.word() + " form"
                        : "unknown task '" + wanted + "'; known: " + ids()));
        if (task.kind == TaskKind.ROUTER) {
            throw new DatasetException("task " + task.id + " is the stage-1 router; build it with the instruction-set builder");
        }
        if (kind != null && kind != task.kind) {
            throw new DatasetException("task " + task.id + " is a " + task.kind.word() + " task, not "
                    + kind.word());
        }
        return task;
    }

    private String ids() {
        List<String> ids = new ArrayList<>();
        catalog.tasks().forEach(task -> ids.add(task.id));
        return String.join(", ", ids);
    }

    private Map.Entry<String, DatasetLayout> layout(String name, String datasetName) throws DatasetException {
        List<Map.Entry<Map<String, ?>, DatasetLayout>> current = layouts;
        String wanted = name;
        if (wanted == null) {
            for (Map.Entry<Map<String, ?>, DatasetLayout> entry : current) {
                if (names(entry.getKey().get(DatasetLayoutService.DATASETS_PROPERTY)).stream()
                        .anyMatch(datasetName::equalsIgnoreCase)) {
                    wanted = String.valueOf(entry.getKey().get(DatasetLayoutService.NAME_PROPERTY));
                    break;
                }
            }
        }
        if (wanted == null) {
            wanted = DEFAULT_LAYOUT;
        }
        for (Map.Entry<Map<String, ?>, DatasetLayout> entry : current) {
            String layoutName = String.valueOf(entry.getKey().get(DatasetLayoutService.NAME_PROPERTY));
            if (layoutName.equalsIgnoreCase(wanted)) {
                return new AbstractMap.SimpleImmutableEntry<>(layoutName, entry.getValue());
            }
        }
        throw new DatasetException("no dataset layout named '" + wanted + "'; registered: " + layouts());
    }

    private static List<String> names(Object property) {
        if (property instanceof String[] array) {
            return Arrays.asList(array);
        }
        if (property instanceof String single) {
            return List.of(single);
        }
        return List.of();
    }

    private static String words(DatasetLayout layout) {
        List<String> words = new ArrayList<>();
        layout.granularities().forEach(g -> words.add(g.word()));
        words.sort(null);
        return String.join(" and ", words) + " samples";
    }

    private static Path path(String value, String what) throws DatasetException {
        if (value == null || value.isBlank()) {
            throw new DatasetException(what + " is missing");
        }
        try {
            return Paths.get(value);
        } catch (InvalidPathException e) {
            throw new DatasetException(what + ": not a path: " + value);
        }
    }

    private static Map<String, String> nonNull(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
