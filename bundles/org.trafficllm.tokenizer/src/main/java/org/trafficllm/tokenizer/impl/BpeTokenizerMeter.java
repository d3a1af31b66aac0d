package org.trafficllm.tokenizer.impl;

import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.TokenizerMeter;
import org.trafficllm.api.tokenizer.TokenizerProgressListener;
import org.trafficllm.api.tokenizer.dto.TextCorpus;
import org.trafficllm.api.tokenizer.dto.TokenCountStatistics;
import org.trafficllm.api.tokenizer.dto.TokenizerComparison;

/** Counts tokens per text with the same encoder that is checked against Hugging Face tokenizers. */
@Component(service = TokenizerMeter.class, configurationPid = "org.trafficllm.tokenizer.meter")
@Designate(ocd = WorkerConfiguration.class)
public class BpeTokenizerMeter implements TokenizerMeter {
    private volatile int threads = Runtime.getRuntime().availableProcessors();

    public BpeTokenizerMeter() {
    }

    @Activate
    @Modified
    void configure(WorkerConfiguration config) {
        threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public TokenCountStatistics measure(Path tokenizer, TextCorpus corpus, TokenizerProgressListener listener)
            throws TokenizerException {
        return new TokenCounting(List.of(tokenizer), threads).run(new CorpusReader(corpus, 0, 0), listener)[0];
    }

    @Override
    public TokenizerComparison compare(Path baseline, Path candidate, TextCorpus corpus,
            TokenizerProgressListener listener) throws TokenizerException {
        TokenCountStatistics[] both = new TokenCounting(List.of(baseline, candidate), threads)
                .run(new CorpusReader(corpus, 0, 0), listener);
        TokenizerComparison c = new TokenizerComparison();
        c.baseline = both[0];
        c.candidate = both[1];
        c.ratio = both[1].totalTokens == 0 ? Double.POSITIVE_INFINITY
                : (double) both[0].totalTokens / both[1].totalTokens;
        return c;
    }
}
