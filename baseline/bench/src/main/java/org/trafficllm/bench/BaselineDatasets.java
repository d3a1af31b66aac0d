package org.trafficllm.bench;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.DatasetLayout;
import org.trafficllm.api.dataset.DatasetLayoutService;
import org.trafficllm.api.dataset.SplitMode;
import org.trafficllm.api.dataset.dto.ClassCountDTO;
import org.trafficllm.api.dataset.dto.DatasetRequestDTO;
import org.trafficllm.api.dataset.dto.DatasetResultDTO;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;
import org.trafficllm.dataset.impl.BuiltInTaskCatalog;
import org.trafficllm.dataset.impl.TrafficDatasetBuilder;
import org.trafficllm.dataset.layout.impl.CsicRequestLayout;
import org.trafficllm.dataset.layout.impl.DeepTrafficIdxLayout;
import org.trafficllm.dataset.layout.impl.NdpiFlowLabelLayout;

/**
 * Builds the datasets the classical baselines are reported on, with the dataset
 * bundle's builder and layouts: USTC-TFC2016 (DeepTraffic idx, 20 and 2 classes),
 * CSIC 2010 (group split, and TrafficLLM's per-sample split for comparison) and nDPI flows of the applications with enough flows. Usage:
 * {@code BaselineDatasets DATA_ROOT OUTPUT_ROOT}; each dataset lands in its own
 * folder under the output root.
 */
public final class BaselineDatasets {
    /** nDPI applications need this many flows to be a class (at least 10 test flows after a 0.8 split). */
    static final int MIN_NDPI_FLOWS = 50;

    private BaselineDatasets() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BaselineDatasets DATA_ROOT OUTPUT_ROOT");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        TrafficDatasetBuilder builder = builder();
        try {
            report(builder.build(idx(data, out, "20class"), null));
            report(builder.build(idx(data, out, "2class"), null));
            report(builder.build(csic(data, out, SplitMode.GROUP), null));
            report(builder.build(csic(data, out, SplitMode.SAMPLE), null));
            DatasetResultDTO all = builder.build(ndpi(data, out.resolve("scratch"), "ndpi-all", null), null);
            String keep = all.classes.stream().filter(c -> c.read >= MIN_NDPI_FLOWS).map(c -> c.label)
                    .collect(Collectors.joining(","));
            report(builder.build(ndpi(data, out, "ndpi-apps", keep), null));
        } catch (DatasetException e) {
            System.err.println("BaselineDatasets: " + e.getMessage());
            System.exit(1);
        }
    }

    private static DatasetRequestDTO idx(Path data, Path out, String view) {
        DatasetRequestDTO request = new DatasetRequestDTO();
        request.input = data.resolve("ustc-tfc2016/deeptraffic-idx").resolve(view).toString();
        request.datasetName = "ustc-tfc2016-idx";
        request.task = "MTD";
        request.granularity = Granularity.FLOW;
        request.outputName = "ustc-" + view;
        request.outputPath = out.resolve(request.outputName).toString();
        return request;
    }

    /**
     * CSIC twice: with the group split, and with TrafficLLM's per-sample split (repeated
     * requests on both sides) to measure what that leak is worth.
     */
    private static DatasetRequestDTO csic(Path data, Path out, SplitMode split) {
        DatasetRequestDTO request = new DatasetRequestDTO();
        request.input = data.resolve("csic2010").toString();
        request.datasetName = "csic-2010";
        request.split = split;
        request.outputName = split == SplitMode.GROUP ? "csic-2010" : "csic-2010-sample-split";
        request.outputPath = out.resolve(request.outputName).toString();
        // TrafficLLM's preprocessing keeps at most 5,000 samples per class.
        request.capPerClass = 5000;
        return request;
    }

    private static DatasetRequestDTO ndpi(Path data, Path out, String name, String keep) {
        DatasetRequestDTO request = new DatasetRequestDTO();
        request.input = data.resolve("ndpi").toString();
        request.datasetName = "ndpi";
        request.task = "EAC";
        request.granularity = Granularity.FLOW;
        request.outputName = name;
        request.outputPath = out.resolve(name).toString();
        request.capPerClass = 5000;
        request.options.put("column", "app_proto");
        if (keep != null) {
            request.options.put("keep", keep);
        }
        return request;
    }

    /**
     * The builder with its layouts, bound the way Declarative Services binds them:
     * into its dynamic reference field, each with its service properties.
     */
    private static TrafficDatasetBuilder builder() throws ReflectiveOperationException {
        PcapCaptureService captures = new PcapCaptureService();
        List<Map.Entry<Map<String, ?>, DatasetLayout>> layouts = new ArrayList<>();
        layouts.add(layout("ustc-tfc2016-idx", new DeepTrafficIdxLayout(), "ustc-tfc2016-idx"));
        layouts.add(layout("csic-2010", new CsicRequestLayout(new HttpRequestJson()), "csic-2010"));
        layouts.add(layout("ndpi-flow-labels", new NdpiFlowLabelLayout(captures,
                new FlowAssemblyService(captures), null, new MaskedFlowBytes(), ndpiDefaults()), "ndpi"));
        TrafficDatasetBuilder builder = new TrafficDatasetBuilder(new BuiltInTaskCatalog());
        Field field = TrafficDatasetBuilder.class.getDeclaredField("layouts");
        field.setAccessible(true);
        field.set(builder, layouts);
        return builder;
    }

    private static Map.Entry<Map<String, ?>, DatasetLayout> layout(String name, DatasetLayout layout,
            String dataset) {
        return new AbstractMap.SimpleImmutableEntry<>(Map.of(DatasetLayoutService.NAME_PROPERTY, name,
                DatasetLayoutService.DATASETS_PROPERTY, new String[] {dataset}), layout);
    }

    /** The layout's configuration with every attribute at its declared default. */
    private static NdpiFlowLabelLayout.Config ndpiDefaults() {
        return (NdpiFlowLabelLayout.Config) java.lang.reflect.Proxy.newProxyInstance(
                NdpiFlowLabelLayout.Config.class.getClassLoader(), new Class<?>[] {NdpiFlowLabelLayout.Config.class},
                (proxy, method, arguments) -> method.getDefaultValue());
    }

    private static void report(DatasetResultDTO result) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %d train, %d test, %d classes,"
                + " groups on both sides %d -> %s%n", result.datasetName, result.train, result.test,
                result.classes.size(), result.groupsOnBothSides, Path.of(result.trainFile).getParent()));
        for (ClassCountDTO c : result.classes) {
            line.append(String.format(Locale.ROOT, "  %-24s read %6d  duplicates %5d  capped %5d  train %5d  test %5d%n",
                    c.label, c.read, c.duplicates, c.capped, c.train, c.test));
        }
        System.out.print(line);
    }
}
