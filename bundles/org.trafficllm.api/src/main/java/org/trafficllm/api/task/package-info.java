/**
 * The traffic analysis tasks TrafficLLM for the JVM knows: their kinds and
 * granularities, the catalog of built-in tasks and their prompt templates, and the
 * services around task bundles: the registry of installed tasks (classification,
 * generation and stage-1 routing through them), their lifecycle (register, update,
 * roll back, unregister while serving), the packager that builds task bundles, the
 * capture analyzer, and the feature repository that installs groups of bundles.
 */
@Export
@Version("1.1.0")
package org.trafficllm.api.task;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
