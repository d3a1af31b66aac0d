package org.trafficllm.text.impl;

/**
 * tshark's {@code frame.encap_type} is Wireshark's own encapsulation number
 * (WTAP_ENCAP_*), not the DLT of the file; this maps the link types the
 * dissector reads, and names the first protocols tshark lists for them.
 */
final class WiretapEncapsulation {
    private WiretapEncapsulation() {
    }

    static int of(int linkType) {
        switch (linkType) {
            case 0, 108: return 15;
            case 1: return 1;
            case 9, 50: return 4;
            case 12, 14, 101: return 7;
            case 104: return 28;
            case 113: return 25;
            case 192: return 97;
            case 228: return 129;
            case 229: return 130;
            case 276: return 210;
            default: return 0;
        }
    }

    /** The protocols tshark lists for the link header, e.g. {@code eth:ethertype}. */
    static String linkProtocols(int linkType) {
        switch (linkType) {
            case 0, 108: return "null";
            case 1: return "eth:ethertype";
            case 9, 50: return "ppp";
            case 12, 14, 101, 228, 229: return "raw";
            case 104: return "chdlc";
            case 113, 276: return "sll:ethertype";
            case 192: return "ppi:eth:ethertype";
            default: return "";
        }
    }
}
