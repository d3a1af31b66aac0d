package org.trafficllm.tokenizer.impl;

import java.lang.annotation.Annotation;

/** Components configured the way Declarative Services would, for open-box tests. */
final class TrainerFixture {
    private TrainerFixture() {
    }

    static WorkerConfiguration threads(int threads) {
        return new WorkerConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return WorkerConfiguration.class;
            }

            @Override
            public int threads() {
                return threads;
            }
        };
    }

    static BpeTokenizerTrainer trainer(int threads) {
        BpeTokenizerTrainer trainer = new BpeTokenizerTrainer();
        trainer.configure(threads(threads));
        return trainer;
    }

    static BpeTokenizerMeter meter(int threads) {
        BpeTokenizerMeter meter = new BpeTokenizerMeter();
        meter.configure(threads(threads));
        return meter;
    }
}
