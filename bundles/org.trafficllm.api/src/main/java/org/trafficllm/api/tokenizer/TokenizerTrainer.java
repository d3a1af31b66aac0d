package org.trafficllm.api.tokenizer;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingResult;

/**
 * Learns byte-level BPE merges over a text corpus and writes a {@code tokenizer.json}.
 * <p>
 * With a base tokenizer the result is an extension: every base id keeps its token, every base
 * merge keeps its rank, and the new merges rank after all of them, so the new merges compose
 * base tokens. Without a base the result is a byte-level BPE trained from the 256-byte alphabet
 * and the requested special tokens. Training is deterministic: the same request over the same
 * corpus writes a byte-identical file.
 */
@ProviderType
public interface TokenizerTrainer {

    /**
     * Validates the request and the base completely before reading the corpus, then trains and
     * writes {@code request.output}.
     *
     * @param request what to train
     * @param listener receives progress while reading the corpus, segmenting and merging; may be
     *            {@code null}
     * @return what was written
     * @throws TokenizerException a one-line message naming the bad input and the place
     */
    TokenizerTrainingResult train(TokenizerTrainingRequest request, TokenizerProgressListener listener)
            throws TokenizerException;
}
