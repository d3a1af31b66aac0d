/**
 * Data transfer objects of the tuning API: a prompt in its parts and as tokens, the
 * requests for tuning an adapter and for pretraining a base model with their
 * schedules, progress reports, validation results and what a finished run wrote, and
 * the request and result of an evaluation on a test file.
 */
@Export
@Version("1.4.0")
package org.trafficllm.api.tuning.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
