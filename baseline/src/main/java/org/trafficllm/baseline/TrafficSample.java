package org.trafficllm.baseline;

/**
 * One line of a dataset file: its label, the traffic text after the prompt's
 * marker, and where it came from (for error messages).
 *
 * @param line 1-based line number in its file
 */
public record TrafficSample(String label, String traffic, int line) {
}
