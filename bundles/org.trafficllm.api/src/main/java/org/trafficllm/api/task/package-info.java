/**
 * The traffic analysis tasks TrafficLLM for the JVM knows: their kinds and
 * granularities, and the catalog service that lists the built-in tasks (TrafficLLM's
 * ten detection and four generation tasks plus the stage-1 router) and fills their
 * prompt templates, so that datasets, training and inference all phrase a task the
 * same way.
 */
@Export
@Version("1.0.0")
package org.trafficllm.api.task;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
