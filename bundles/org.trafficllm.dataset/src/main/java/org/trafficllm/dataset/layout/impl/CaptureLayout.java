package org.trafficllm.dataset.layout.impl;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.CollectionType;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.FlowService;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.DatasetLayout;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.PacketRenderer;

/**
 * What the layouts over capture files share: packet and flow samples, rendered by
 * the granularity's default renderer or, on request, by any packet or flow renderer
 * installed in the framework (bound dynamically, so a renderer bundle installed or
 * removed while the runtime serves is seen by the next build). The subclass is the
 * component; its bundle's bnd processes these inherited references
 * ({@code -dsannotations-options: inherit}).
 */
abstract class CaptureLayout implements DatasetLayout {
    /** Every packet renderer installed: a build may ask for any of them by name. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    volatile List<Map.Entry<Map<String, Object>, PacketRenderer>> packetRenderers = List.of();

    /** Every flow renderer installed, likewise. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    volatile List<Map.Entry<Map<String, Object>, FlowRenderer>> flowRenderers = List.of();

    final CaptureSamples samples;

    /**
     * @param trafficWords the packet default, {@code traffic-words}
     * @param flowBytes the flow default, {@code flow-bytes}
     */
    CaptureLayout(CaptureService captures, FlowService flows, PacketRenderer trafficWords, FlowRenderer flowBytes) {
        this.samples = new CaptureSamples(captures, flows, trafficWords, flowBytes, () -> packetRenderers,
                () -> flowRenderers);
    }

    @Override
    public Set<Granularity> granularities() {
        return Set.of(Granularity.PACKET, Granularity.FLOW);
    }

    @Override
    public String renderer(Granularity granularity, TaskKind kind) {
        return CaptureSamples.renderer(granularity);
    }

    @Override
    public String renderer(Granularity granularity, TaskKind kind, String requested) throws DatasetException {
        return samples.renderer(granularity, requested);
    }
}
