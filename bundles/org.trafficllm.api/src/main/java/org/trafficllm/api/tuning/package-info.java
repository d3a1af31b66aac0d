/**
 * Training the models TrafficLLM runs: the one prompt format that turns a task's
 * instruction, traffic and answer into tokens for training and for inference alike,
 * the tuning service that trains stage-1 (router) and stage-2 (task) adapters over a
 * frozen base model with checkpoints, validation, early stopping and resume, the
 * pretraining of the small embedded base model with its traffic-domain tokenizer, and
 * the evaluation of an adapter (or an installed task) on a whole test file.
 * Progress reaches the caller through a listener; every failure is one line naming
 * the input and the place.
 */
@Export
@Version("1.2.0")
package org.trafficllm.api.tuning;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
