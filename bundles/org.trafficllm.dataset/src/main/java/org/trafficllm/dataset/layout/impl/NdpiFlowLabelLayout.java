package org.trafficllm.dataset.layout.impl;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.FlowService;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.DatasetLayout;
import org.trafficllm.api.dataset.DatasetLayoutService;
import org.trafficllm.api.dataset.LayoutContext;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * nDPI's regression corpus with one label row per flow ({@code flow_labels.csv}
 * beside a {@code pcap/} folder). Flows come from the capture bundle's flow table and
 * are matched to rows by their direction-free 5-tuple within the same capture; the
 * label is one column of the row ({@code app_proto} by default, or {@code category},
 * {@code master_proto}, {@code encryption}...).
 *
 * <p>Labels are DPI output, not ground truth, so rows are dropped (counted, no
 * message) when: the capture is not in the corpus ({@code pcap_present} is not 1);
 * {@code app_proto} is {@code Unknown}; the label column is empty or
 * {@code Unknown}; the {@code confidence} is not one of the accepted values (by
 * default the DPI verdicts {@code DPI}, {@code DPI (cache)}, {@code DPI (partial)},
 * {@code DPI (partial cache)}, {@code DPI (aggressive)}; guesses such as
 * {@code Match by port} or {@code Match by IP} are dropped); option {@code encryption}
 * lists accepted values of the {@code encryption} column and the row's is not among
 * them; option {@code keep} lists labels and the label is not among them (unless option
 * {@code other} names a label for every other row: {@code column=category,keep=VPN,other=non-VPN}
 * makes two classes); or two rows of one capture share a 5-tuple with different labels. A row with the wrong number of columns, a bad port
 * or an unknown protocol is left out as malformed with its line number; a missing
 * header column stops the build.
 *
 * <p>Request options: {@code column}, {@code confidence} (comma-separated accepted
 * values), {@code encryption} (comma-separated accepted values, e.g. {@code Encrypted}),
 * {@code keep} (comma-separated labels), {@code other} (the label of rows not kept),
 * {@code group} ({@code flow}, the default, or {@code capture}: a capture file's samples
 * stay on one side of the split), {@code captures} (comma-separated
 * capture names to read, default all), {@code csv} and {@code pcaps} (paths relative
 * to the input).
 */
@Component(service = DatasetLayout.class)
@DatasetLayoutService(name = NdpiFlowLabelLayout.NAME, datasets = {"ndpi"})
@Designate(ocd = NdpiFlowLabelLayout.Config.class)
public class NdpiFlowLabelLayout extends CaptureLayout {
    static final String NAME = "ndpi-flow-labels";
    static final String CSV = "flow_labels.csv";
    static final String PCAPS = "pcap";

    private static final Map<String, Integer> PROTOCOLS = Map.ofEntries(Map.entry("TCP", 6), Map.entry("UDP", 17),
            Map.entry("ICMP", 1), Map.entry("ICMPV6", 58), Map.entry("IGMP", 2), Map.entry("SCTP", 132),
            Map.entry("AH", 51), Map.entry("ESP", 50), Map.entry("GRE", 47), Map.entry("VRRP", 112),
            Map.entry("OSPF", 89), Map.entry("PGM", 113), Map.entry("PIM", 103));
    static final String AMBIGUOUS = "\u0000ambiguous";
    static final String NO_TRAFFIC = "row without traffic in its capture";
    /** At packet granularity only TCP and UDP packets (and ICMP errors quoting UDP) become samples. */
    static final String NO_PACKETS = "row without TCP or UDP packets in its capture";

    @ObjectClassDefinition(name = "TrafficLLM nDPI flow-label layout",
            description = "Which nDPI verdicts count as labels.")
    public @interface Config {
        @AttributeDefinition(description = "The label column of flow_labels.csv")
        String column() default "app_proto";

        @AttributeDefinition(description = "Accepted values of the confidence column")
        String[] confidence() default {"DPI", "DPI (cache)", "DPI (partial)", "DPI (partial cache)", "DPI (aggressive)"};
    }

    private final String defaultColumn;
    private final Set<String> defaultConfidence;

    @Activate
    public NdpiFlowLabelLayout(@Reference(name = "captures") CaptureService captures,
            @Reference(name = "flows") FlowService flows,
            @Reference(name = "trafficWords", target = "(" + TrafficRendererService.NAME + "="
                    + TrafficRendererService.TRAFFIC_WORDS + ")") PacketRenderer trafficWords,
            @Reference(name = "flowBytes", target = "(" + TrafficRendererService.NAME + "="
                    + TrafficRendererService.FLOW_BYTES + ")") FlowRenderer flowBytes,
            Config config) {
        super(captures, flows, trafficWords, flowBytes);
        this.defaultColumn = config.column();
        this.defaultConfidence = new HashSet<>(Arrays.asList(config.confidence()));
    }

    @Override
    public void read(LayoutContext context) throws IOException {
        Map<String, String> options = context.options();
        Path root = context.input();
        Path csv = root.resolve(options.getOrDefault("csv", CSV));
        Path pcaps = root.resolve(options.getOrDefault("pcaps", PCAPS));
        Map<String, Map<String, String>> labels = readRows(csv, rules(options), context);
        if (options.containsKey("captures")) {
            Set<String> chosen = split(options.get("captures"));
            labels.keySet().removeIf(pcap -> !chosen.contains(pcap));
        }
        long total = 0;
        for (String pcap : labels.keySet()) {
            total += InputFiles.size(pcaps.resolve(pcap));
        }
        RenderOptions renderOptions = CaptureSamples.options(context);
        String noSamples = context.granularity() == Granularity.PACKET ? NO_PACKETS : NO_TRAFFIC;
        long done = 0;
        for (Map.Entry<String, Map<String, String>> entry : labels.entrySet()) {
            Path file = pcaps.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                for (int i = 0; i < entry.getValue().size(); i++) {
                    context.drop("capture not present");
                }
                continue;
            }
            Map<String, String> flowLabels = entry.getValue();
            Set<String> used = new HashSet<>();
            Set<String> unlabelled = new HashSet<>();
            long before = done;
            long sum = total;
            samples.read(file, entry.getKey(), context, renderOptions, key -> {
                String label = flowLabels.get(key);
                if (label == null) {
                    unlabelled.add(key);
                    return null;
                }
                if (label == AMBIGUOUS) {
                    return null;
                }
                used.add(key);
                return label;
            }, bytes -> context.progress(before + bytes, sum, "bytes"));
            for (Map.Entry<String, String> row : flowLabels.entrySet()) {
                if (row.getValue() == AMBIGUOUS) {
                    context.drop("two rows of one capture share a 5-tuple with different labels");
                } else if (!used.contains(row.getKey())) {
                    context.drop(noSamples);
                }
            }
            for (int i = 0; i < unlabelled.size(); i++) {
                context.drop("5-tuple without a usable row");
            }
            done += InputFiles.size(file);
            context.progress(done, total, "bytes");
        }
    }

    /** The row rules the request's options ask for, the configured defaults for the rest. */
    Rules rules(Map<String, String> options) throws DatasetException {
        Set<String> keep = options.containsKey("keep") ? split(options.get("keep")) : null;
        String other = options.containsKey("other") ? options.get("other").trim() : null;
        if (other != null && (keep == null || keep.isEmpty())) {
            throw new DatasetException("option other=" + other + " needs option keep: the labels that stay themselves");
        }
        if (other != null && (other.isEmpty() || keep.contains(other))) {
            throw new DatasetException("option other='" + other + "' must be a label that keep does not list");
        }
        return new Rules(options.getOrDefault("column", defaultColumn),
                options.containsKey("confidence") ? split(options.get("confidence")) : defaultConfidence,
                options.containsKey("encryption") ? split(options.get("encryption")) : null, keep, other);
    }

    /**
     * Which rows give labels: the label column, the accepted confidence and encryption
     * values ({@code null}: any encryption), the labels kept ({@code null}: all) and the
     * label of the rows not kept ({@code null}: those rows are dropped).
     */
    record Rules(String column, Set<String> confidence, Set<String> encryption, Set<String> keep, String other) {
        static Rules of(String column, Set<String> confidence, Set<String> keep) {
            return new Rules(column, confidence, null, keep, null);
        }
    }

    /** Capture name to (5-tuple key to label), both sorted by key for a stable order. */
    static Map<String, Map<String, String>> readRows(Path csv, Rules rules, LayoutContext context)
            throws DatasetException {
        String column = rules.column();
        String name = csv.getFileName().toString();
        Map<String, Map<String, String>> labels = new TreeMap<>();
        long lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            lineNumber = 1;
            if (header == null) {
                throw new DatasetException(name + ": empty file, no header line");
            }
            List<String> columns = Arrays.asList(header.split(",", -1));
            Columns at = new Columns(columns, name, column, rules.encryption() != null);
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String where = name + ": line " + lineNumber;
                String[] fields = line.split(",", -1);
                if (fields.length != columns.size()) {
                    context.skip(where, "malformed row: " + fields.length + " columns, expected " + columns.size());
                    continue;
                }
                Integer protocol = protocol(fields[at.l4]);
                int sport = port(fields[at.sport]);
                int dport = port(fields[at.dport]);
                if (protocol == null) {
                    context.skip(where, "malformed row: unknown protocol '" + fields[at.l4] + "'");
                    continue;
                }
                if (sport < 0 || dport < 0) {
                    context.skip(where, "malformed row: bad port '" + (sport < 0 ? fields[at.sport] : fields[at.dport])
                            + "'");
                    continue;
                }
                String key = FlowKeys.of(protocol, fields[at.src], sport, fields[at.dst], dport);
                if (key == null) {
                    context.skip(where, "malformed row: bad address '" + fields[at.src] + "' or '" + fields[at.dst]
                            + "'");
                    continue;
                }
                String label = fields[at.label].trim();
                String encryption = at.encryption < 0 ? null : fields[at.encryption].trim();
                boolean kept = rules.keep() == null || rules.keep().contains(label);
                String dropped = !"1".equals(fields[at.present].trim()) ? "capture not present"
                        : "Unknown".equals(fields[at.app].trim()) ? "application Unknown"
                        : label.isEmpty() || "Unknown".equals(label) ? "no label in column " + column
                        : !rules.confidence().contains(fields[at.confidence].trim())
                                ? "confidence " + fields[at.confidence].trim()
                        : encryption != null && !rules.encryption().contains(encryption) ? "encryption " + encryption
                        : !kept && rules.other() == null ? "label not kept"
                        : null;
                if (dropped != null) {
                    context.drop(dropped);
                    continue;
                }
                if (!kept) {
                    label = rules.other();
                }
                Map<String, String> rows = labels.computeIfAbsent(fields[at.pcap].trim(), p -> new TreeMap<>());
                String before = rows.putIfAbsent(key, label);
                if (before != null && !before.equals(label)) {
                    rows.put(key, AMBIGUOUS);
                }
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read after line " + lineNumber + ": " + e.getMessage(), e);
        }
        return labels;
    }

    private static Integer protocol(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        Integer known = PROTOCOLS.get(name);
        if (known != null) {
            return known;
        }
        try {
            int number = Integer.parseInt(name);
            return number >= 0 && number <= 255 ? number : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            return port >= 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Set<String> split(String list) {
        Set<String> values = new LinkedHashSet<>();
        for (String value : list.split(",")) {
            if (!value.isBlank()) {
                values.add(value.trim());
            }
        }
        return values;
    }

    /** Positions of the columns this layout reads. */
    private static final class Columns {
        final int pcap;
        final int present;
        final int l4;
        final int src;
        final int sport;
        final int dst;
        final int dport;
        final int app;
        final int confidence;
        final int label;
        /** -1 when no rule reads it. */
        final int encryption;

        Columns(List<String> header, String file, String labelColumn, boolean readsEncryption)
                throws DatasetException {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                index.putIfAbsent(header.get(i).trim(), i);
            }
            pcap = find(index, "pcap", file);
            present = find(index, "pcap_present", file);
            l4 = find(index, "l4", file);
            src = find(index, "src", file);
            sport = find(index, "sport", file);
            dst = find(index, "dst", file);
            dport = find(index, "dport", file);
            app = find(index, "app_proto", file);
            confidence = find(index, "confidence", file);
            label = find(index, labelColumn, file);
            encryption = readsEncryption ? find(index, "encryption", file) : -1;
        }

        private static int find(Map<String, Integer> index, String column, String file) throws DatasetException {
            Integer at = index.get(column);
            if (at == null) {
                throw new DatasetException(file + ": line 1: no column '" + column + "' in the header");
            }
            return at;
        }
    }
}
