package org.trafficllm.dataset.impl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.DatasetLayout;
import org.trafficllm.api.dataset.LayoutContext;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;

/** A layout that delivers the samples a test made, and can fail after some of them. */
final class SyntheticLayout implements DatasetLayout {
    record Sample(String label, String group, String text) {
    }

    final List<Sample> samples = new ArrayList<>();
    int failAfter = -1;
    Boolean sawMask;

    SyntheticLayout add(String label, String group, String text) {
        samples.add(new Sample(label, group, text));
        return this;
    }

    @Override
    public Set<Granularity> granularities() {
        return Set.of(Granularity.PACKET, Granularity.FLOW);
    }

    @Override
    public String renderer(Granularity granularity, TaskKind kind) {
        return "synthetic";
    }

    @Override
    public void read(LayoutContext context) throws IOException {
        sawMask = context.mask();
        int n = 0;
        for (Sample sample : samples) {
            if (n++ == failAfter) {
                throw new DatasetException("synthetic.txt: record " + failAfter + ": broken on purpose");
            }
            context.sample(sample.label(), sample.group(), sample.text());
            context.progress(n, samples.size(), "records");
        }
    }
}
