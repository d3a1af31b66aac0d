package org.trafficllm.api.text;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * Renders an HTTP request as model text, registered with
 * {@link TrafficRendererService} (TrafficLLM's format is
 * {@value TrafficRendererService#HTTP_REQUEST}: a JSON object with method, url and body).
 */
@ConsumerType
public interface HttpRequestRenderer {

    /** The text of one request. */
    String render(HttpRequestDTO request, RenderOptions options);
}
