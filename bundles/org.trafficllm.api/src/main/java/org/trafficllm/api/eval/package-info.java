/**
 * Evaluation of traffic classifiers: the service that turns expected and predicted
 * labels into an honest report (accuracy, per-class precision, recall and F1,
 * macro and weighted averages, a confusion matrix with a column for answers outside
 * the label set) and writes it as JSON and as a self-contained HTML page. The same
 * report serves the language model's adapters and the classical baselines, so their
 * figures can stand side by side.
 */
@Export
@Version("1.0.0")
package org.trafficllm.api.eval;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
