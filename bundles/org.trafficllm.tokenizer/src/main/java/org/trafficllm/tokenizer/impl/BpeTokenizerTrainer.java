package org.trafficllm.tokenizer.impl;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.TokenizerProgressListener;
import org.trafficllm.api.tokenizer.TokenizerTrainer;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingResult;

/** Trains byte-level BPE tokenizers and traffic extensions of existing ones. */
@Component(service = TokenizerTrainer.class, configurationPid = "org.trafficllm.tokenizer.trainer")
@Designate(ocd = WorkerConfiguration.class)
public class BpeTokenizerTrainer implements TokenizerTrainer {
    private volatile int threads = Runtime.getRuntime().availableProcessors();

    public BpeTokenizerTrainer() {
    }

    @Activate
    @Modified
    void configure(WorkerConfiguration config) {
        threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public TokenizerTrainingResult train(TokenizerTrainingRequest request, TokenizerProgressListener listener)
            throws TokenizerException {
        return new TokenizerTraining(request, listener, threads).run();
    }
}
