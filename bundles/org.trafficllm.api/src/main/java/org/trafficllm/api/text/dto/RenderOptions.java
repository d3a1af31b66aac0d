package org.trafficllm.api.text.dto;

import java.util.EnumSet;
import java.util.Set;

import org.osgi.dto.DTO;
import org.trafficllm.api.text.MaskedIdentifier;

/** How a render session writes text. */
public class RenderOptions extends DTO {
    /** Identifiers replaced by stable placeholders; empty renders them as captured. */
    public Set<MaskedIdentifier> mask = EnumSet.noneOf(MaskedIdentifier.class);
    /** Characters of the TCP payload kept in traffic words, written as colon-separated hex bytes (TrafficLLM: 1000). */
    public int payloadHexLimit = 1000;
    /** Packets of a flow rendered as flow bytes (TrafficLLM: 10). */
    public int packetsPerFlow = 10;
    /** Bytes of each packet rendered as flow bytes (TrafficLLM: 128, i.e. 256 hex characters). */
    public int bytesPerPacket = 128;
    /** Time zone for wall-clock dates (a {@code java.time.ZoneId}); TrafficLLM's data used the capturing host's zone. */
    public String timeZone = "UTC";
}
