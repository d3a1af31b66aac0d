package org.trafficllm.api.tokenizer;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.tokenizer.dto.TokenizerProgress;

/**
 * Receives progress of a long tokenizer job. Called from the job's thread at most a few times
 * per second and once at the end of every phase; it must return quickly.
 */
@ConsumerType
@FunctionalInterface
public interface TokenizerProgressListener {

    void progress(TokenizerProgress progress);
}
