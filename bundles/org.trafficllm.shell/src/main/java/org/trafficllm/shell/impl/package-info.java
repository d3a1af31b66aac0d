/**
 * Gogo commands of scope {@code tllm} and the launcher's one-command mode: the
 * commands are thin, they parse arguments, call a TrafficLLM service and return
 * a value or a DTO that the shell prints.
 */
package org.trafficllm.shell.impl;
