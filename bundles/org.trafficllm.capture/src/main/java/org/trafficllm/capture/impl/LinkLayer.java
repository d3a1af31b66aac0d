package org.trafficllm.capture.impl;

/** Link types (LINKTYPE_/DLT_ numbers) the dissector reads, and their names. */
final class LinkLayer {
    static final int NULL = 0;
    static final int ETHERNET = 1;
    static final int PPP = 9;
    static final int RAW_12 = 12;
    static final int RAW_14 = 14;
    static final int PPP_HDLC = 50;
    static final int RAW = 101;
    static final int C_HDLC = 104;
    static final int LOOP = 108;
    static final int LINUX_SLL = 113;
    static final int PPI = 192;
    static final int IPV4 = 228;
    static final int IPV6 = 229;
    static final int LINUX_SLL2 = 276;

    private LinkLayer() {
    }

    static boolean isSupported(int linkType) {
        switch (linkType) {
            case NULL, ETHERNET, PPP, RAW_12, RAW_14, PPP_HDLC, RAW, C_HDLC, LOOP, LINUX_SLL, PPI, IPV4, IPV6, LINUX_SLL2:
                return true;
            default:
                return false;
        }
    }

    /** The libpcap name of a link type, or {@code LINKTYPE_<n>}. */
    static String name(int linkType) {
        switch (linkType) {
            case NULL: return "NULL";
            case ETHERNET: return "EN10MB";
            case PPP: return "PPP";
            case RAW_12: case RAW_14: case RAW: return "RAW";
            case PPP_HDLC: return "PPP_HDLC";
            case C_HDLC: return "C_HDLC";
            case LOOP: return "LOOP";
            case LINUX_SLL: return "LINUX_SLL";
            case IPV4: return "IPV4";
            case IPV6: return "IPV6";
            case LINUX_SLL2: return "LINUX_SLL2";
            case 105: return "IEEE802_11";
            case 127: return "IEEE802_11_RADIOTAP";
            case PPI: return "PPI";
            default: return "LINKTYPE_" + linkType;
        }
    }
}
