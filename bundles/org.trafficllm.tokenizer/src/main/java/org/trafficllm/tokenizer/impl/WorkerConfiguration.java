package org.trafficllm.tokenizer.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "TrafficLLM tokenizer workers",
        description = "How many threads pre-tokenize, segment and measure corpora.")
@interface WorkerConfiguration {

    @AttributeDefinition(description = "Worker threads; 0 uses one per available processor.")
    int threads() default 0;
}
