package org.trafficllm.capture.impl;

import org.trafficllm.api.capture.PacketView;

/**
 * A direction-free flow identity: protocol and the two (address, port) ends in a
 * fixed order, so both directions of a conversation produce equal keys. Addresses
 * are held as two longs (IPv4 in the low one). One mutable instance is reused as
 * the lookup probe; stored keys are copies.
 */
final class FlowKey {
    int ipVersion;
    int protocol;
    long lowHi;
    long lowLo;
    int lowPort;
    long highHi;
    long highLo;
    int highPort;
    private int hash;

    /** Fills this key from {@code p}, an IP packet. */
    void set(PacketView p) {
        ipVersion = p.ipVersion();
        protocol = p.ipProtocol();
        boolean ports = protocol == 6 || protocol == 17;
        int sport = ports ? Math.max(p.sourcePort(), 0) : 0;
        int dport = ports ? Math.max(p.destinationPort(), 0) : 0;
        long sHi;
        long sLo;
        long dHi;
        long dLo;
        int s = p.sourceAddressOffset();
        int d = p.destinationAddressOffset();
        if (ipVersion == 4) {
            sHi = 0;
            sLo = p.u32(s);
            dHi = 0;
            dLo = p.u32(d);
        } else {
            sHi = (p.u32(s) << 32) | p.u32(s + 4);
            sLo = (p.u32(s + 8) << 32) | p.u32(s + 12);
            dHi = (p.u32(d) << 32) | p.u32(d + 4);
            dLo = (p.u32(d + 8) << 32) | p.u32(d + 12);
        }
        int order = Long.compareUnsigned(sHi, dHi);
        if (order == 0) {
            order = Long.compareUnsigned(sLo, dLo);
        }
        if (order == 0) {
            order = Integer.compare(sport, dport);
        }
        if (order <= 0) {
            lowHi = sHi;
            lowLo = sLo;
            lowPort = sport;
            highHi = dHi;
            highLo = dLo;
            highPort = dport;
        } else {
            lowHi = dHi;
            lowLo = dLo;
            lowPort = dport;
            highHi = sHi;
            highLo = sLo;
            highPort = sport;
        }
        hash = computeHash();
    }

    FlowKey copy() {
        FlowKey k = new FlowKey();
        k.ipVersion = ipVersion;
        k.protocol = protocol;
        k.lowHi = lowHi;
        k.lowLo = lowLo;
        k.lowPort = lowPort;
        k.highHi = highHi;
        k.highLo = highLo;
        k.highPort = highPort;
        k.hash = hash;
        return k;
    }

    private int computeHash() {
        long h = lowLo * 0x9E3779B97F4A7C15L + highLo;
        h = h * 31 + lowHi;
        h = h * 31 + highHi;
        h = h * 31 + ((long) lowPort << 16 | highPort);
        h = h * 31 + (protocol << 4 | ipVersion);
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowKey)) {
            return false;
        }
        FlowKey k = (FlowKey) o;
        return lowLo == k.lowLo && highLo == k.highLo && lowPort == k.lowPort && highPort == k.highPort
                && lowHi == k.lowHi && highHi == k.highHi && protocol == k.protocol && ipVersion == k.ipVersion;
    }
}
