/**
 * Data transfer objects of the task API: the task descriptor that the catalog lists
 * and that a task bundle carries as {@code task.json}, the registry's view of an
 * installed task, answers and routing decisions, capture analysis requests, verdicts
 * and reports, packaging requests, and feature descriptors.
 */
@Export
@Version("1.2.0")
package org.trafficllm.api.task.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
