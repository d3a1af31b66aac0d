/**
 * Data transfer objects of the text API: render and compose options, and the
 * method/url/body form of an HTTP request. Public fields only, as OSGi DTOs.
 */
@Export
@Version("1.0.0")
package org.trafficllm.api.text.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
