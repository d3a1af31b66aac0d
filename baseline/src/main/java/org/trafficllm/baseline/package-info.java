/**
 * Classical baselines for TrafficLLM's detection tasks: random forests and
 * gradient-boosted trees (XGBoost) on the raw bytes of the traffic text, and a
 * logistic regression (LIBLINEAR) on hashed character n-grams. They read exactly the
 * train and test files the language model is tuned and evaluated on, and report
 * through the evaluation service, so their figures sit beside the model's on the
 * same split.
 */
package org.trafficllm.baseline;
