package org.trafficllm.api.tokenizer.dto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/**
 * What to train. The base is {@link #baseTokenizer}, else {@link #baseTokenizerJson}, else an
 * empty byte-level BPE (the 256-byte alphabet after the special tokens, no merges). Exactly
 * one of {@link #newTokens} and {@link #targetVocabSize} is positive.
 */
public class TokenizerTrainingRequest extends DTO {
    /** A Hugging Face {@code tokenizer.json} with a byte-level BPE model; may be {@code null}. */
    public Path baseTokenizer;
    /** The same as bytes, used when {@link #baseTokenizer} is {@code null}; may be {@code null}. */
    public byte[] baseTokenizerJson;
    /** The texts merges are learned from. */
    public TextCorpus corpus = new TextCorpus();
    /** How many tokens the merges should add (fewer when pairs run out of frequency). */
    public int newTokens;
    /** The vocabulary size to reach, counting base, special, added and merged tokens. */
    public int targetVocabSize;
    /** A pair seen fewer times than this in the corpus is never merged. */
    public int minFrequency = 2;
    /** Tokens matched before pre-tokenization and skipped when decoding with special tokens skipped. */
    public List<String> specialTokens = new ArrayList<>();
    /** Tokens matched before pre-tokenization and kept when decoding, e.g. {@code <pck>}. */
    public List<String> addedTokens = new ArrayList<>();
    /** How words are cut before merging; {@code TRAFFIC} spends far fewer tokens on traffic text. */
    public PreTokenization preTokenization = PreTokenization.TRAFFIC;
    /** At most this many characters per hex word under {@link PreTokenization#TRAFFIC}; even, 2 to 64. */
    public int hexChunk = 64;
    /** Train on a uniform sample of at most this many texts; 0 reads them all. */
    public long maxTexts;
    /** Seed of the sample drawn when {@link #maxTexts} is smaller than the corpus. */
    public long seed;
    /** Where to write the new {@code tokenizer.json}; its folder is created if missing. */
    public Path output;
}
