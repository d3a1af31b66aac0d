package org.trafficllm.api.tokenizer;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.tokenizer.dto.TextCorpus;
import org.trafficllm.api.tokenizer.dto.TokenCountStatistics;
import org.trafficllm.api.tokenizer.dto.TokenizerComparison;

/**
 * Counts the tokens that byte-level BPE tokenizers ({@code tokenizer.json}) spend per text of a
 * corpus. Counts are content tokens only: no post-processor template (BOS/EOS) is added.
 */
@ProviderType
public interface TokenizerMeter {

    /**
     * Token counts of one tokenizer over a corpus.
     *
     * @param listener may be {@code null}
     * @throws TokenizerException the tokenizer file cannot be used or the corpus cannot be read
     */
    TokenCountStatistics measure(Path tokenizer, TextCorpus corpus, TokenizerProgressListener listener)
            throws TokenizerException;

    /**
     * Token counts of two tokenizers over the same corpus, read once.
     *
     * @param baseline usually the base tokenizer
     * @param candidate usually its traffic extension
     * @param listener may be {@code null}
     * @throws TokenizerException a tokenizer file cannot be used or the corpus cannot be read
     */
    TokenizerComparison compare(Path baseline, Path candidate, TextCorpus corpus, TokenizerProgressListener listener)
            throws TokenizerException;
}
