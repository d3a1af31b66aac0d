package org.trafficllm.dataset.layout.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.trafficllm.api.dataset.LayoutContext;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;

/** A layout context that keeps everything a layout hands over, for assertions. */
final class RecordingContext implements LayoutContext {
    record Sample(String label, String group, String text) {
    }

    final Path input;
    final Granularity granularity;
    final Map<String, String> options = new LinkedHashMap<>();
    final List<String> labels = new ArrayList<>();
    final List<Sample> samples = new ArrayList<>();
    final List<String> skips = new ArrayList<>();
    final Map<String, Long> dropped = new LinkedHashMap<>();
    long lastDone;
    long lastTotal;
    boolean mask = true;
    String renderer;

    RecordingContext(Path input, Granularity granularity) {
        this.input = input;
        this.granularity = granularity;
    }

    @Override
    public Path input() {
        return input;
    }

    @Override
    public Granularity granularity() {
        return granularity;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.DETECTION;
    }

    @Override
    public String renderer() {
        return renderer;
    }

    @Override
    public boolean mask() {
        return mask;
    }

    @Override
    public Map<String, String> options() {
        return options;
    }

    @Override
    public void labels(List<String> labels) {
        this.labels.addAll(labels);
    }

    @Override
    public void sample(String label, String group, String text) {
        samples.add(new Sample(label, group, text));
    }

    @Override
    public void skip(String where, String reason) {
        skips.add(where + ": " + reason);
    }

    @Override
    public void drop(String reason) {
        dropped.merge(reason, 1L, Long::sum);
    }

    @Override
    public void progress(long done, long total, String unit) {
        lastDone = done;
        lastTotal = total;
    }

    long count(String label) {
        return samples.stream().filter(sample -> sample.label.equals(label)).count();
    }
}
