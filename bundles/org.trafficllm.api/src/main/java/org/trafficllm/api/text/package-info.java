/**
 * Traffic as text: renderer plugins that turn packets, flows and HTTP requests into
 * the text a model reads (TrafficLLM's traffic words, flow bytes, web-request
 * JSON), their per-capture render sessions with identifier masking, and composer
 * plugins that turn generated text back into real frames.
 */
@Export
@Version("1.5.0")
package org.trafficllm.api.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
