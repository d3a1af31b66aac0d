package org.trafficllm.text.impl;

import org.trafficllm.api.capture.PacketView;

/**
 * The direction-free address/port pair of a TCP or UDP conversation, as tshark
 * numbers streams. One instance is reused as lookup probe; stored keys are copies.
 */
final class ConversationKey {
    private long lowHi;
    private long lowLo;
    private int lowPort;
    private long highHi;
    private long highLo;
    private int highPort;
    private int hash;

    /** Fills the key; true when the packet's source is the key's low end. */
    boolean set(PacketView p) {
        return set(p, p.ipVersion(), p.sourceAddressOffset(), p.destinationAddressOffset(), p.sourcePort(),
                p.destinationPort());
    }

    /** Fills the key from addresses at the given offsets of {@code p}'s bytes (e.g. a header an ICMP error quotes). */
    boolean set(PacketView p, int ipVersion, int s, int d, int sPort, int dPort) {
        long sHi;
        long sLo;
        long dHi;
        long dLo;
        if (ipVersion == 4) {
            sHi = -1;
            sLo = p.u32(s);
            dHi = -1;
            dLo = p.u32(d);
        } else {
            sHi = p.u32(s) << 32 | p.u32(s + 4);
            sLo = p.u32(s + 8) << 32 | p.u32(s + 12);
            dHi = p.u32(d) << 32 | p.u32(d + 4);
            dLo = p.u32(d + 8) << 32 | p.u32(d + 12);
        }
        int order = Long.compare(sHi, dHi);
        if (order == 0) {
            order = Long.compare(sLo, dLo);
        }
        if (order == 0) {
            order = Integer.compare(sPort, dPort);
        }
        boolean sourceLow = order <= 0;
        lowHi = sourceLow ? sHi : dHi;
        lowLo = sourceLow ? sLo : dLo;
        lowPort = sourceLow ? sPort : dPort;
        highHi = sourceLow ? dHi : sHi;
        highLo = sourceLow ? dLo : sLo;
        highPort = sourceLow ? dPort : sPort;
        long h = lowLo * 0x9E3779B97F4A7C15L ^ highLo * 0xC2B2AE3D27D4EB4FL ^ lowHi * 31 ^ highHi;
        h = h * 31 + ((long) lowPort << 16 | highPort);
        hash = (int) (h ^ h >>> 32);
        return sourceLow;
    }

    ConversationKey copy() {
        ConversationKey k = new ConversationKey();
        k.lowHi = lowHi;
        k.lowLo = lowLo;
        k.lowPort = lowPort;
        k.highHi = highHi;
        k.highLo = highLo;
        k.highPort = highPort;
        k.hash = hash;
        return k;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConversationKey k && lowLo == k.lowLo && highLo == k.highLo && lowPort == k.lowPort
                && highPort == k.highPort && lowHi == k.lowHi && highHi == k.highHi;
    }
}
