package org.trafficllm.api.task;

/** The unit one sample describes. */
public enum Granularity {
    /** One packet: TrafficLLM's "traffic words" of that packet. */
    PACKET,
    /** One flow (or session): TrafficLLM's "flow bytes" of its first packets. */
    FLOW;

    /** The lower-case word TrafficLLM writes in prompts and file names ({@code packet}, {@code flow}). */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The granularity named by {@code word}, ignoring case. */
    public static Granularity of(String word) {
        for (Granularity granularity : values()) {
            if (granularity.name().equalsIgnoreCase(word)) {
                return granularity;
            }
        }
        throw new IllegalArgumentException("unknown granularity '" + word + "' (packet or flow)");
    }
}
