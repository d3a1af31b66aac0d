package org.trafficllm.baseline;

import java.util.Arrays;

/**
 * Hashed character n-gram features (the usual first model for web-request
 * classification): every substring of {@code min..max} characters is hashed
 * (FNV-1a over its chars, no substring is allocated) into {@code 2^bits} buckets;
 * a bucket's value is {@code 1 + ln(count)}, and each row is scaled to unit length so
 * long and short requests weigh alike. Indices are 1-based and ascending, as
 * LIBLINEAR wants them.
 */
final class CharNgrams {
    private final int min;
    private final int max;
    private final int mask;

    CharNgrams(int min, int max, int bits) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("n-gram lengths " + min + "-" + max + " are not 1 <= min <= max");
        }
        this.min = min;
        this.max = max;
        this.mask = (1 << bits) - 1;
    }

    int dimensions() {
        return mask + 1;
    }

    /** The sparse row of one text. */
    Row extract(String text) {
        int windows = 0;
        for (int n = min; n <= max; n++) {
            windows += Math.max(0, text.length() - n + 1);
        }
        int[] buckets = new int[windows];
        int k = 0;
        for (int start = 0; start < text.length(); start++) {
            int hash = 0x811c9dc5;
            for (int n = 1; n <= max && start + n <= text.length(); n++) {
                hash = (hash ^ text.charAt(start + n - 1)) * 0x01000193;
                if (n >= min) {
                    buckets[k++] = (hash ^ n * 0x9e3779b9) & mask;
                }
            }
        }
        Arrays.sort(buckets, 0, k);
        int distinct = 0;
        for (int i = 0; i < k; i++) {
            if (i == 0 || buckets[i] != buckets[i - 1]) {
                distinct++;
            }
        }
        int[] index = new int[distinct];
        double[] value = new double[distinct];
        int d = -1;
        for (int i = 0; i < k; i++) {
            if (i == 0 || buckets[i] != buckets[i - 1]) {
                index[++d] = buckets[i] + 1;
            }
            value[d]++;
        }
        double norm = 0;
        for (int i = 0; i < distinct; i++) {
            value[i] = 1 + Math.log(value[i]);
            norm += value[i] * value[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < distinct; i++) {
            value[i] /= norm;
        }
        return new Row(index, value);
    }

    record Row(int[] index, double[] value) {
    }
}
