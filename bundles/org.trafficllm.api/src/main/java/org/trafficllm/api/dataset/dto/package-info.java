/**
 * Data transfer objects of the dataset API: build requests and their results, per
 * class counts, progress reports and instruction-set corrections. All print
 * themselves field by field.
 */
@Export
@Version("1.2.0")
package org.trafficllm.api.dataset.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
