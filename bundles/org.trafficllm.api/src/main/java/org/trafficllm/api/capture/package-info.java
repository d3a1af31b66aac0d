/**
 * Reading, capturing and writing packets: the packet and flow views that every
 * other TrafficLLM bundle consumes, and the services that produce them.
 */
@Export
@Version("1.0.0")
package org.trafficllm.api.capture;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
