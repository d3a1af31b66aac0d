/**
 * The text renderers (traffic words, flow bytes, web-request JSON), identifier
 * masking, and the composers that build frames from text, offered as DS components
 * named by {@code TrafficRendererService}. Not exported.
 */
package org.trafficllm.text.impl;
