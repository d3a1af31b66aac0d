/**
 * Reading, capturing and writing packets: the dissected packet view and the
 * bidirectional flow view that every other TrafficLLM bundle consumes, the
 * handlers that receive them, and the services that produce them (capture files,
 * live interfaces, pcap output, flow tables).
 */
@Export
@Version("1.2.0")
package org.trafficllm.api.capture;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
