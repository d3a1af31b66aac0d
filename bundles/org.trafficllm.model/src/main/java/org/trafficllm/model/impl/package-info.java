/**
 * The DJL host: safetensors and config reading, the Llama/Qwen2/GPT-2 decoders on
 * DJL's NDArray API over the PyTorch engine, PEFT adapters, KV-cached batched
 * generation, label-constrained classification, the base-model service and the
 * extender that loads base-model bundles. Every DJL call runs on the bundle's own
 * executor, whose thread carries this bundle's class loader as context class loader.
 */
package org.trafficllm.model.impl;
