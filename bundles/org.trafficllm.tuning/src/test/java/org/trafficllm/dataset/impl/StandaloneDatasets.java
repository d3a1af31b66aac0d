package org.trafficllm.dataset.impl;

import org.trafficllm.api.dataset.DatasetBuilder;
import org.trafficllm.dataset.layout.impl.DeepTrafficIdxLayout;

/**
 * The dataset bundle's builder outside a framework, with the layout that needs no
 * renderer (DeepTraffic's idx files of USTC-TFC2016), registered as Declarative
 * Services would register it.
 */
public final class StandaloneDatasets {
    private StandaloneDatasets() {
    }

    public static DatasetBuilder idxBuilder() {
        TrafficDatasetBuilder builder = new TrafficDatasetBuilder(new BuiltInTaskCatalog());
        builder.addLayout("ustc-tfc2016-idx", new DeepTrafficIdxLayout(), "ustc-tfc2016-idx", "deeptraffic-idx");
        return builder;
    }
}
