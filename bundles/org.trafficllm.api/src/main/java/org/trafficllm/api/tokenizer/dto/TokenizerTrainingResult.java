package org.trafficllm.api.tokenizer.dto;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.dto.DTO;

/** What a training run wrote and what it learned from. */
public class TokenizerTrainingResult extends DTO {
    /** The {@code tokenizer.json} written. */
    public Path tokenizer;
    /**
     * Ids of the base: its largest id plus one. For a BPE trained from scratch the base is the
     * special tokens and the 256 byte characters.
     */
    public int baseVocabSize;
    /** Ids of the new tokenizer: its largest id plus one. */
    public int vocabSize;
    /** Vocabulary entries created by merges. */
    public int tokensAdded;
    /** Special and added tokens given in the request that the base did not have. */
    public int specialTokensAdded;
    /** Merges appended after the base merges. */
    public int mergesAdded;
    /**
     * For every id that is new (special, added, merged): the base ids the base tokenizer gives
     * its text (for a merged token, the base BPE over its bytes as one word). Used to initialize
     * a new embedding row as the mean of these rows. A byte character the base lacked maps to an
     * empty list.
     */
    public Map<Integer, List<Integer>> decomposition;
    /** Texts, UTF-8 bytes and distinct words the merges were learned from. */
    public long textsRead;
    public long bytesRead;
    public long distinctWords;
    /** The pre-tokenization the written file uses. */
    public PreTokenization preTokenization;
    /** Wall time of the whole run, reading included. */
    public long elapsedMillis;
}
