package org.trafficllm.bench;

import org.trafficllm.api.text.HttpRequestRenderer;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The {@code http-request} text the API documents ({@code {"method","url","body"}}),
 * used until the text bundle's renderer is in the build. CSIC requests carry no
 * addresses of the capture, so masking changes nothing here.
 */
final class HttpRequestJson implements HttpRequestRenderer {
    @Override
    public String render(HttpRequestDTO request, RenderOptions options) {
        return JsonNodeFactory.instance.objectNode().put("method", request.method).put("url", request.url)
                .put("body", request.body).toString();
    }
}
