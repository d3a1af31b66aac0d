/**
 * The built-in dataset layouts: TrafficLLM's class folders of captures, CSIC 2010
 * request files, DeepTraffic's USTC-TFC2016 idx files and nDPI's per-flow labels,
 * each a whiteboard {@code DatasetLayout} service.
 */
package org.trafficllm.dataset.layout.impl;
