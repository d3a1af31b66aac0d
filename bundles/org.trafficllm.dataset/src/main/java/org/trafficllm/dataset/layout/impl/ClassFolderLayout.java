package org.trafficllm.dataset.layout.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.FlowService;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.DatasetLayout;
import org.trafficllm.api.dataset.DatasetLayoutService;
import org.trafficllm.api.dataset.LayoutContext;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * TrafficLLM's raw-dataset layout: one folder per class (the folder name is the
 * label) holding pcap or pcapng files, at any depth. USTC-TFC2016's two-level variant
 * ({@code Benign/} and {@code Malware/} with the classes inside, each a folder of
 * captures or a single capture named after its class) is read when the top folders
 * are exactly {@code Benign} and {@code Malware}, or with option {@code levels=2};
 * {@code levels=1} forces one level. Samples are grouped by flow; option
 * {@code group=capture} makes each capture file one group for the split.
 *
 * <p>Files beside the class folders are ignored (licences, readmes); files inside a
 * class that are no capture by their extension ({@code .pcap}, {@code .pcapng},
 * {@code .cap}) are left out and counted.
 */
@Component(service = DatasetLayout.class)
@DatasetLayoutService(name = ClassFolderLayout.NAME)
public class ClassFolderLayout extends CaptureLayout {
    static final String NAME = "class-folders";


    @Activate
    public ClassFolderLayout(@Reference(name = "captures") CaptureService captures,
            @Reference(name = "flows") FlowService flows,
            @Reference(name = "trafficWords", target = "(" + TrafficRendererService.NAME + "="
                    + TrafficRendererService.TRAFFIC_WORDS + ")") PacketRenderer trafficWords,
            @Reference(name = "flowBytes", target = "(" + TrafficRendererService.NAME + "="
                    + TrafficRendererService.FLOW_BYTES + ")") FlowRenderer flowBytes) {
        super(captures, flows, trafficWords, flowBytes);
    }

    @Override
    public void read(LayoutContext context) throws IOException {
        Path root = context.input();
        if (!Files.isDirectory(root)) {
            throw new DatasetException(root + ": not a folder of class folders");
        }
        Map<String, List<Path>> classes = classes(root, context);
        if (classes.isEmpty()) {
            throw new DatasetException(root + ": no class folder with captures");
        }
        long total = 0;
        for (List<Path> files : classes.values()) {
            for (Path file : files) {
                total += InputFiles.size(file);
            }
        }
        RenderOptions options = CaptureSamples.options(context);
        long done = 0;
        for (Map.Entry<String, List<Path>> entry : classes.entrySet()) {
            String label = entry.getKey();
            for (Path file : entry.getValue()) {
                long before = done;
                long sum = total;
                samples.read(file, root.relativize(file).toString(), context, options, key -> label,
                        bytes -> context.progress(before + bytes, sum, "bytes"));
                done += InputFiles.size(file);
                context.progress(done, total, "bytes");
            }
        }
    }

    /** Class name to its captures, both sorted. */
    static Map<String, List<Path>> classes(Path root, LayoutContext context) throws DatasetException {
        List<Path> top = folders(root);
        String levels = context.options().getOrDefault("levels", "");
        boolean twoLevels = levels.equals("2") || (levels.isEmpty() && top.size() == 2
                && top.stream().map(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)).sorted().toList()
                        .equals(List.of("benign", "malware")));
        Map<String, List<Path>> classes = new TreeMap<>();
        for (Path folder : top) {
            if (!twoLevels) {
                addCaptures(classes, folder.getFileName().toString(), folder, root, context);
                continue;
            }
            for (Path entry : entries(folder)) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry)) {
                    addCaptures(classes, name, entry, root, context);
                } else if (isCapture(entry)) {
                    classes.computeIfAbsent(stem(name), k -> new ArrayList<>()).add(entry);
                } else {
                    context.skip(root.relativize(entry).toString(), "not a capture: no .pcap, .pcapng or .cap name");
                }
            }
        }
        classes.values().removeIf(List::isEmpty);
        return classes;
    }

    private static void addCaptures(Map<String, List<Path>> classes, String label, Path folder, Path root,
            LayoutContext context) throws DatasetException {
        List<Path> files = classes.computeIfAbsent(label, k -> new ArrayList<>());
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                if (isCapture(file)) {
                    files.add(file);
                } else {
                    context.skip(root.relativize(file).toString(), "not a capture: no .pcap, .pcapng or .cap name");
                }
            }
        } catch (IOException e) {
            throw new DatasetException(folder + ": cannot list the class folder: " + e.getMessage(), e);
        }
    }

    private static List<Path> folders(Path root) throws DatasetException {
        List<Path> folders = new ArrayList<>();
        for (Path entry : entries(root)) {
            if (Files.isDirectory(entry)) {
                folders.add(entry);
            }
        }
        return folders;
    }

    private static List<Path> entries(Path folder) throws DatasetException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.sorted().toList();
        } catch (IOException e) {
            throw new DatasetException(folder + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    static boolean isCapture(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pcap") || name.endsWith(".pcapng") || name.endsWith(".cap");
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
