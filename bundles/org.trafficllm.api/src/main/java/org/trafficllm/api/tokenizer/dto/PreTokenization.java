package org.trafficllm.api.tokenizer.dto;

/**
 * How text is cut into words before BPE merges apply. Merges never cross a word boundary, so
 * this decides which token strings can exist at all.
 */
public enum PreTokenization {
    /**
     * Keep the base tokenizer's pre-tokenizer. A pure extension: text tokenizes exactly as
     * under the base unless one of the new merges applies.
     */
    BASE,
    /**
     * The base pre-tokenizer's split rule, preceded by two traffic rules: a dotted protocol
     * field name with its colon ({@code tcp.flags.syn:}) is one word, and a lowercase hex run
     * of at least 16 characters is cut into words of at most
     * {@link TokenizerTrainingRequest#hexChunk} characters counted from the start of the run.
     * Base ids keep their tokens, but text with such names or runs segments differently from
     * the base.
     */
    TRAFFIC
}
