package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** How to capture from a network interface. */
public class LiveCaptureOptions extends DTO {
    /** A BPF filter expression (tcpdump syntax), or null for every frame. */
    public String filter;
    /** Bytes kept of each frame. */
    public int snapLength = 65535;
    /** Put the interface into promiscuous mode. */
    public boolean promiscuous;
    /** libpcap read timeout: the longest a captured packet waits in the kernel buffer where immediate delivery is unavailable. */
    public int readTimeoutMillis = 50;
    /** Stop after this many frames; 0 for no limit. */
    public long maxPackets;
    /** Stop after this long; 0 for no limit. */
    public long durationMillis;
}
