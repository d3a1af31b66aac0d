package org.trafficllm.api.tokenizer.dto;

import java.nio.file.Path;

import org.osgi.dto.DTO;

/** Tokens per text of one tokenizer over one corpus. */
public class TokenCountStatistics extends DTO {
    public Path tokenizer;
    public long texts;
    public long totalTokens;
    /** UTF-8 bytes of all texts; with {@link #totalTokens} gives bytes per token. */
    public long totalBytes;
    public double mean;
    public double median;
    /** Nearest-rank 95th percentile. */
    public long p95;
    public long max;
}
