package org.trafficllm.api.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;

/** What a {@link DatasetLayout} reads and where its samples go; one per build. */
@ProviderType
public interface LayoutContext {
    /** The file or folder to read. */
    Path input();

    /** The granularity of the samples wanted. */
    Granularity granularity();

    /** Whether the samples are for a detection or a generation task. */
    TaskKind kind();

    /** The renderer the layout announced for this build. */
    String renderer();

    /** Whether MAC and IP addresses, ports and absolute times must be masked. */
    boolean mask();

    /** Layout-specific options from the request (e.g. {@code column=category}); never null. */
    Map<String, String> options();

    /**
     * Announces the class names in label-index order before any sample, for layouts
     * whose classes have a defined order (idx class numbers); otherwise labels are
     * sorted.
     */
    void labels(List<String> labels);

    /**
     * One sample.
     *
     * @param label its class
     * @param group what it must stay together with across the split (e.g. its flow),
     *        or {@code null} when it stands alone; identical texts are grouped anyway
     * @param text the rendered traffic text
     * @throws DatasetException when the build was cancelled
     */
    void sample(String label, String group, String text) throws DatasetException;

    /**
     * A damaged record that was left out and why: {@code where} names the file and
     * the record (e.g. {@code flow_labels.csv: line 17}), {@code reason} is a short
     * phrase, optionally followed by {@code ": "} and details (e.g.
     * {@code malformed row: 7 columns, expected 19}). Counted per phrase in the build
     * result, which also keeps the first messages.
     */
    void skip(String where, String reason);

    /**
     * A sound record the layout leaves out by its documented rule (e.g. an nDPI row
     * of low confidence). Counted per reason in the build result, without a message.
     */
    void drop(String reason);

    /** Work done so far out of {@code total}, in the layout's own unit (files, bytes, records). */
    void progress(long done, long total, String unit);
}
