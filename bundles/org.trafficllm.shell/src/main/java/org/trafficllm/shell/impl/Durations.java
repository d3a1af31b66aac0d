package org.trafficllm.shell.impl;

/** Short human durations for progress lines: {@code 45s}, {@code 3m12s}, {@code 1h05m}. */
final class Durations {
    private Durations() {
    }

    static String text(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
