/**
 * Data transfer objects of the capture API: options for reading, live capture and
 * flow tables, and the summaries (capture, packet, flow) that listings and shell
 * commands print. Public fields only, as OSGi DTOs.
 */
@Export
@Version("1.0.0")
package org.trafficllm.api.capture.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
