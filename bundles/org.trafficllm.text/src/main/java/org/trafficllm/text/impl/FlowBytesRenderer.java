package org.trafficllm.text.impl;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.FlowRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * TrafficLLM's "flow bytes": the first packets of a flow (10), the first bytes of
 * each frame (128) as lower-case hex, each preceded by {@code <pck>}. With masking,
 * the identifier bytes inside the hex are overwritten before encoding: MACs,
 * IP addresses and TCP/UDP ports by their placeholder numbers, and the IPv4
 * header, TCP and UDP checksums (which are sums over those identifiers) by zero.
 */
@Component(service = FlowRenderer.class)
@TrafficRendererService(name = TrafficRendererService.FLOW_BYTES)
public class FlowBytesRenderer implements FlowRenderer {

    @Override
    public FlowRenderSession open(RenderOptions options) {
        RenderOptions o = options == null ? new RenderOptions() : options;
        Masking masking = new Masking(o.mask);
        int packets = o.packetsPerFlow;
        int bytes = o.bytesPerPacket;
        byte[] scratch = new byte[bytes];
        return new FlowRenderSession() {
            @Override
            public boolean render(FlowView flow, StringBuilder out) {
                List<PacketView> kept = flow.firstPackets();
                if (kept.isEmpty()) {
                    return false;
                }
                int n = Math.min(packets, kept.size());
                for (int i = 0; i < n; i++) {
                    PacketView p = kept.get(i);
                    int length = Math.min(bytes, p.captureLength());
                    System.arraycopy(p.array(), p.offset(), scratch, 0, length);
                    if (masking.macs || masking.ips || masking.ports) {
                        mask(p, scratch, length, masking);
                    }
                    out.append("<pck>");
                    Digits.bytesHex(out, scratch, 0, length);
                }
                return true;
            }

            @Override
            public Map<String, String> placeholders() {
                return masking.placeholders();
            }
        };
    }

    /** Masks the identifiers that lie inside the first {@code length} bytes (offsets relative to the frame). */
    static void mask(PacketView p, byte[] frame, int length, Masking masking) {
        int base = p.offset();
        int eth = p.ethernetOffset() - base;
        if (masking.macs && p.ethernetOffset() >= 0 && eth + 12 <= length) {
            masking.maskMac(frame, eth);
            masking.maskMac(frame, eth + 6);
        }
        if (p.ipVersion() == 0) {
            return;
        }
        if (p.outerNetworkOffset() >= 0 && p.outerNetworkOffset() != p.networkOffset()) {
            maskTunnel(frame, p.outerNetworkOffset() - base, p.networkOffset() - base, length, masking);
        }
        int addressLength = p.ipVersion() == 4 ? 4 : 16;
        int ip = p.networkOffset() - base;
        if (masking.ips) {
            int src = p.sourceAddressOffset() - base;
            int dst = p.destinationAddressOffset() - base;
            if (src + addressLength <= length) {
                masking.maskIp(frame, src, addressLength);
            }
            if (dst + addressLength <= length) {
                masking.maskIp(frame, dst, addressLength);
            }
            if (p.ipVersion() == 4 && ip + 12 <= length) {
                frame[ip + 10] = 0;
                frame[ip + 11] = 0;
            }
        }
        int l4 = p.transportOffset() - base;
        if (p.transportOffset() < 0 || (p.ipProtocol() != 6 && p.ipProtocol() != 17)) {
            return;
        }
        if (masking.ports) {
            if (l4 + 2 <= length) {
                masking.maskPort(frame, l4);
            }
            if (l4 + 4 <= length) {
                masking.maskPort(frame, l4 + 2);
            }
        }
        int checksum = l4 + (p.ipProtocol() == 6 ? 16 : 6);
        if ((masking.ips || masking.ports) && checksum + 2 <= length) {
            frame[checksum] = 0;
            frame[checksum + 1] = 0;
        }
    }

    /**
     * A tunnelled packet carries the tunnel end points in its outer IP header (and,
     * for GTP-U and other UDP tunnels, ports in the outer UDP header): they identify
     * the capture as much as the inner ones do.
     */
    private static void maskTunnel(byte[] frame, int outer, int inner, int length, Masking masking) {
        if (outer < 0 || outer >= length) {
            return;
        }
        int version = (frame[outer] & 0xff) >>> 4;
        int headerLength;
        int protocol;
        if (version == 4) {
            headerLength = (frame[outer] & 0x0f) * 4;
            protocol = outer + 9 < length ? frame[outer + 9] & 0xff : -1;
            if (masking.ips) {
                maskIfInside(frame, outer + 12, 4, length, masking);
                maskIfInside(frame, outer + 16, 4, length, masking);
                zeroIfInside(frame, outer + 10, length);
            }
        } else if (version == 6) {
            headerLength = 40;
            protocol = outer + 6 < length ? frame[outer + 6] & 0xff : -1;
            if (masking.ips) {
                maskIfInside(frame, outer + 8, 16, length, masking);
                maskIfInside(frame, outer + 24, 16, length, masking);
            }
        } else {
            return;
        }
        int udp = outer + headerLength;
        if (protocol == 17 && udp + 8 <= inner) {
            if (masking.ports) {
                if (udp + 2 <= length) {
                    masking.maskPort(frame, udp);
                }
                if (udp + 4 <= length) {
                    masking.maskPort(frame, udp + 2);
                }
            }
            if (masking.ips || masking.ports) {
                zeroIfInside(frame, udp + 6, length);
            }
        }
    }

    private static void maskIfInside(byte[] frame, int offset, int addressLength, int length, Masking masking) {
        if (offset + addressLength <= length) {
            masking.maskIp(frame, offset, addressLength);
        }
    }

    private static void zeroIfInside(byte[] frame, int offset, int length) {
        if (offset + 2 <= length) {
            frame[offset] = 0;
            frame[offset + 1] = 0;
        }
    }
}
