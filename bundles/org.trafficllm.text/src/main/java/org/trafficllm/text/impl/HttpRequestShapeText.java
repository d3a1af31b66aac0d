package org.trafficllm.text.impl;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.text.HttpRequestRenderer;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * TrafficLLM's web-request JSON preceded by the shape of the request's arguments
 * ({@link HttpRequestShape}): {@code request.args: login 6 a9, ntc 15 9, {"method": ...}}.
 * The JSON is {@link HttpRequestText}'s, masked the same way; the argument names and
 * values carry no address to mask.
 */
@Component(service = HttpRequestRenderer.class)
@TrafficRendererService(name = TrafficRendererService.HTTP_REQUEST_SHAPE)
public class HttpRequestShapeText implements HttpRequestRenderer {

    @Override
    public String render(HttpRequestDTO request, RenderOptions options) {
        StringBuilder out = new StringBuilder(256);
        HttpRequestShape.appendWithJson(request, options, out);
        return out.toString();
    }
}
