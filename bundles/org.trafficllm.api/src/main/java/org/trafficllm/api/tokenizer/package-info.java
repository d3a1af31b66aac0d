/**
 * Traffic-domain tokenizers: training a byte-level BPE extension of a Hugging Face
 * {@code tokenizer.json} (or a byte-level BPE from scratch) on rendered traffic text, and
 * measuring how many tokens two tokenizers spend on the same corpus. The files produced load
 * unchanged in Hugging Face tokenizers and keep the meaning of every id of their base.
 */
@Export
@Version("1.0.0")
package org.trafficllm.api.tokenizer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
