/**
 * Data transfer objects of the tokenizer services: what to train and on which corpus, what was
 * trained (including how every new token decomposes into base tokens, for initializing new
 * embedding rows), token-count statistics and progress reports. Public fields, no behaviour.
 */
@Export
@Version("1.0.0")
package org.trafficllm.api.tokenizer.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
