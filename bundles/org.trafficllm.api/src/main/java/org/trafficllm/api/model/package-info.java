/**
 * The shared base model: one loaded causal language model (Llama, Qwen2 or GPT-2
 * family) per base-model bundle, offered as a {@link org.trafficllm.api.model.BaseModel}
 * service, with PEFT adapters (LoRA, prefix tuning) resident over it and chosen per
 * request, generation (greedy or sampled), classification by decoding constrained to
 * a label set, and the training sessions that produce new adapters and base models.
 * Only plain Java types cross this package; no tensor library type ever does.
 */
@Export
@Version("1.2.0")
package org.trafficllm.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
