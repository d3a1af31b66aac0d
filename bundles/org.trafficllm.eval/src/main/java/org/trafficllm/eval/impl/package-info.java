/**
 * The evaluation service: metric arithmetic over a confusion matrix with an invalid
 * column, TrafficLLM's answer-to-label rule, and the JSON and HTML writers (the
 * HTML page inlines Apache ECharts so it needs no network). Private to this bundle.
 */
package org.trafficllm.eval.impl;
