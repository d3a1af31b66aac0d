package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** How to read a capture file. */
public class ReadOptions extends DTO {
    /** A BPF filter expression (tcpdump syntax) applied by libpcap, or null for every frame. */
    public String filter;
    /** Stop after this many frames; 0 reads to the end. */
    public long maxPackets;
}
