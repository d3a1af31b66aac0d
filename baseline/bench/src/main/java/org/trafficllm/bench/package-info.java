/**
 * Benchmark harness: builds the public datasets with the dataset bundle's builder
 * outside a framework (wiring its components by hand, as Declarative Services
 * would) so the baselines and the language model read the same files.
 */
package org.trafficllm.bench;
