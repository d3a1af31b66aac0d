/**
 * The byte-level BPE implementation behind the tokenizer services: a reader and writer of
 * Hugging Face {@code tokenizer.json} files, an encoder that reproduces Hugging Face tokenizers'
 * {@code BPE} + {@code ByteLevel} pipeline id for id, and the merge trainer (word counting,
 * incremental pair counts, a priority queue of pairs). Not exported.
 */
package org.trafficllm.tokenizer.impl;
