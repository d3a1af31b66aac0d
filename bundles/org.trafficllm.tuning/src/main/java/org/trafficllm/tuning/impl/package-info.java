/**
 * The tuning bundle's implementation: the prompt format, dataset reading and
 * tokenization, length-bucketed batch plans, learning-rate schedules, atomic
 * checkpoints, the adapter and pretraining jobs, validation and the model cards.
 */
package org.trafficllm.tuning.impl;
