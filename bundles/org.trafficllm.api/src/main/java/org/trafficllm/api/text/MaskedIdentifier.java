package org.trafficllm.api.text;

/** Kinds of identifiers a render session can replace with stable placeholders. */
public enum MaskedIdentifier {
    /** MAC addresses, placeholders {@code MAC_1, MAC_2...}. */
    MAC,
    /** IPv4 and IPv6 addresses, placeholders {@code IP_1, IP_2...}. */
    IP,
    /** TCP and UDP ports, placeholders {@code PORT_1, PORT_2...}. */
    PORT,
    /** Absolute times (wall-clock dates, epoch times); relative times stay. */
    TIME
}
