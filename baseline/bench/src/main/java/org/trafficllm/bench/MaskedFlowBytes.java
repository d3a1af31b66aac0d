package org.trafficllm.bench;

import java.util.Map;

import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * Flow bytes as the design describes them (the first packets of a flow, a fixed
 * number of bytes of each as hex, each after {@code <pck>}), used until the text
 * bundle's renderer is in the build. Bytes start at the IP header, so captures of
 * different link types (Ethernet, Linux SLL, raw IP) give the same text for the same
 * packet; masking zeroes the IP addresses and the TCP/UDP ports rather than
 * replacing them by placeholders, and the checksums that are computed over them (MAC
 * addresses are before the IP header, absolute times are not in the bytes).
 */
final class MaskedFlowBytes implements FlowRenderer {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public FlowRenderSession open(RenderOptions options) {
        boolean maskIp = options.mask.contains(MaskedIdentifier.IP);
        boolean maskPorts = options.mask.contains(MaskedIdentifier.PORT);
        return new FlowRenderSession() {
            @Override
            public boolean render(FlowView flow, StringBuilder out) {
                int kept = 0;
                for (PacketView packet : flow.firstPackets()) {
                    if (kept == options.packetsPerFlow || packet.networkOffset() < 0) {
                        continue;
                    }
                    kept++;
                    out.append("<pck>");
                    appendPacket(packet, out);
                }
                return kept > 0;
            }

            private void appendPacket(PacketView packet, StringBuilder out) {
                int start = packet.networkOffset();
                int end = Math.min(packet.offset() + packet.captureLength(), start + options.bytesPerPacket);
                int addressLength = packet.ipVersion() == 6 ? 16 : 4;
                for (int i = start; i < end; i++) {
                    int value = packet.u8(i);
                    if (maskIp && (within(i, packet.sourceAddressOffset(), addressLength)
                            || within(i, packet.destinationAddressOffset(), addressLength)
                            || packet.ipVersion() == 4 && within(i, start + 10, 2)
                            || within(i, checksumOffset(packet), 2))
                            || maskPorts && packet.sourcePort() >= 0 && within(i, packet.transportOffset(), 4)) {
                        value = 0;
                    }
                    out.append(HEX[value >> 4]).append(HEX[value & 15]);
                }
            }

            @Override
            public Map<String, String> placeholders() {
                return Map.of();
            }
        };
    }

    /** TCP and UDP checksums cover the addresses (pseudo-header), so they go with them. */
    private static int checksumOffset(PacketView packet) {
        if (packet.transportOffset() < 0) {
            return -1;
        }
        return switch (packet.ipProtocol()) {
        case 6 -> packet.transportOffset() + 16;
        case 17 -> packet.transportOffset() + 6;
        default -> -1;
        };
    }

    private static boolean within(int index, int start, int length) {
        return start >= 0 && index >= start && index < start + length;
    }
}
