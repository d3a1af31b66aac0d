package org.trafficllm.api.dataset.dto;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.dto.DTO;
import org.trafficllm.api.dataset.SplitMode;
import org.trafficllm.api.task.Granularity;

/**
 * One dataset build: TrafficLLM's preprocessing parameters ({@code input},
 * {@code dataset_name}, {@code traffic_task}, {@code granularity},
 * {@code output_path}, {@code output_name}) and this project's split, masking,
 * capping and de-duplication options. Defaults are the recommended settings.
 */
public class DatasetRequestDTO extends DTO {
    /** The corpus: a folder of class folders, a CSIC file or folder, an idx folder, the nDPI folder. */
    public String input;
    /**
     * The dataset's name (TrafficLLM's {@code dataset_name}), e.g. {@code ustc-tfc-2016},
     * {@code csic-2010}. Chooses the layout and the task when those are not given.
     */
    public String datasetName;
    /** {@code detection} or {@code generation} (TrafficLLM's {@code traffic_task}); taken from the task when null. */
    public String trafficTask;
    /**
     * The task id or name, e.g. {@code MTD}; when null it follows from the dataset
     * name as in TrafficLLM ({@code ustc-tfc-2016} → MTD, {@code iscx-botnet} → BND,
     * {@code iscx-vpn-2016} → EVD, {@code dohbrw-2020} → MDD, {@code iscx-tor-2016} →
     * TBD, {@code dapt-2020} → AAD, {@code csic-2010} → WAD, anything else → EAC).
     */
    public String task;
    /** Packet or flow samples. */
    public Granularity granularity = Granularity.PACKET;
    /** The folder the files are written to; created when missing. */
    public String outputPath;
    /** The file name prefix (TrafficLLM's {@code output_name}); the dataset name when null. */
    public String outputName;
    /** The layout's name; when null, the layout that lists the dataset name, else {@code class-folders}. */
    public String layout;
    /** Group-aware (default) or sample-by-sample split. */
    public SplitMode split = SplitMode.GROUP;
    /** Share of each class's samples that goes to the train file, between 0 and 1 exclusive. */
    public double trainRatio = 0.8;
    /** Seed of every random choice; the same seed and input give byte-identical files. */
    public long seed = 42;
    /** At most this many samples per class, drawn at random before the split (TrafficLLM used 5000); 0 for no cap. */
    public int capPerClass;
    /** Drop samples whose instruction and output repeat an earlier sample exactly. */
    public boolean dedup;
    /** Mask MAC and IP addresses, ports and absolute times (on by default for training data). */
    public boolean mask = true;
    /** Renames classes, e.g. {@code Benign → normal}; labels not listed stay. */
    public Map<String, String> labelMap = new LinkedHashMap<>();
    /**
     * How samples are rendered as text (see {@link org.trafficllm.api.task.dto.TaskDescriptorDTO#renderer}),
     * e.g. {@code payload-bytes} instead of {@code flow-bytes} for flows of captures; the layout's
     * choice when null.
     */
    public String renderer;
    /**
     * The instruction of every sample when the task's TrafficLLM template does not fit the
     * classes (e.g. a VPN-or-not set under EVD, whose template lists ISCX's applications); null
     * for the task's template. Fields: {@code {traffic}} (required), {@code {granularity}}, and
     * {@code {labels}}, replaced by the classes found, comma-separated, in the task file too.
     */
    public String promptTemplate;
    /** Options for the layout, e.g. {@code column=category} for {@code ndpi-flow-labels}. */
    public Map<String, String> options = new LinkedHashMap<>();
}
