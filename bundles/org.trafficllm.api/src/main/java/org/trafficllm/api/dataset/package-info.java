/**
 * Building training and test datasets from labelled traffic: the dataset layout
 * plugins that read one kind of public corpus (class folders of captures, CSIC 2010
 * requests, DeepTraffic idx files, nDPI flow labels), the context through which they
 * hand over samples, and the builder services that split, cap, de-duplicate and
 * write TrafficLLM's JSON Lines files and the corrected stage-1 instruction set.
 */
@Export
@Version("1.1.0")
package org.trafficllm.api.dataset;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
