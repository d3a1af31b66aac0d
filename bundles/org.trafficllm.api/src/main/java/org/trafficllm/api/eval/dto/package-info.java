/**
 * Data transfer objects of the evaluation API: the report, its per-class rows,
 * averages and confusion matrix, and the description of the run that produced the
 * predictions (dataset, split, masking, task, model, adapter, sample counts,
 * timing). All print themselves field by field and round-trip through JSON.
 */
@Export
@Version("1.0.0")
package org.trafficllm.api.eval.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
