package org.trafficllm.dataset.layout.impl;

import java.io.IOException;
import java.io.StringWriter;

import org.trafficllm.api.text.HttpRequestRenderer;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Stands in for the text bundle's {@code http-request} renderer until that bundle
 * is on this branch: the method/url/body JSON object the text API documents.
 */
public final class HttpRequestJson implements HttpRequestRenderer {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String render(HttpRequestDTO request, RenderOptions options) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("method", request.method);
            generator.writeStringField("url", request.url);
            generator.writeStringField("body", request.body);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
