/**
 * The dataset bundle's components: the built-in task catalog, the dataset builder
 * with its group-aware seeded split, caps, de-duplication and atomic JSON Lines
 * output, and the stage-1 instruction-set builder with its correction rules.
 */
package org.trafficllm.dataset.impl;
