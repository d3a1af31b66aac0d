package org.trafficllm.text.impl;

/**
 * Numbers identifiers (addresses, ports) in order of first sight: an open-addressing
 * table keyed by two longs, so looking up a known identifier allocates nothing.
 */
final class IdentifierNumbers {
    private long[] highs = new long[64];
    private long[] lows = new long[64];
    private int[] numbers = new int[64];
    private int size;

    /** The identifier's number (1, 2, ...), and whether it was new, in the sign: negative when just assigned. */
    int number(long high, long low) {
        int mask = numbers.length - 1;
        int i = hash(high, low) & mask;
        while (numbers[i] != 0) {
            if (highs[i] == high && lows[i] == low) {
                return numbers[i];
            }
            i = (i + 1) & mask;
        }
        size++;
        highs[i] = high;
        lows[i] = low;
        numbers[i] = size;
        int assigned = size;
        if (size * 2 > numbers.length) {
            grow();
        }
        return -assigned;
    }

    private static int hash(long high, long low) {
        long h = high * 0x9E3779B97F4A7C15L ^ low * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    private void grow() {
        long[] oldHighs = highs;
        long[] oldLows = lows;
        int[] oldNumbers = numbers;
        highs = new long[oldNumbers.length * 2];
        lows = new long[oldNumbers.length * 2];
        numbers = new int[oldNumbers.length * 2];
        int mask = numbers.length - 1;
        for (int j = 0; j < oldNumbers.length; j++) {
            if (oldNumbers[j] != 0) {
                int i = hash(oldHighs[j], oldLows[j]) & mask;
                while (numbers[i] != 0) {
                    i = (i + 1) & mask;
                }
                highs[i] = oldHighs[j];
                lows[i] = oldLows[j];
                numbers[i] = oldNumbers[j];
            }
        }
    }
}
