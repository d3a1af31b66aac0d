package org.trafficllm.text.impl;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.TrafficRendererService;

/**
 * {@link HttpRequestPacketRenderer} for live traffic in the
 * {@value TrafficRendererService#HTTP_REQUEST_SHAPE} form: every packet that starts an
 * HTTP request becomes the shape of its arguments and then its JSON, as
 * {@link HttpRequestShapeText} writes a dataset's requests.
 */
@Component(service = PacketRenderer.class)
@TrafficRendererService(name = TrafficRendererService.HTTP_REQUEST_SHAPE)
public class HttpRequestShapePacketRenderer extends HttpRequestPacketRenderer {

    public HttpRequestShapePacketRenderer() {
        super(HttpRequestShape::appendWithJson);
    }
}
