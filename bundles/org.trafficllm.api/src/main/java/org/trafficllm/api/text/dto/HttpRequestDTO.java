package org.trafficllm.api.text.dto;

import java.util.List;

import org.osgi.dto.DTO;

/** An HTTP request reduced to what the web-request format renders. */
public class HttpRequestDTO extends DTO {
    /** The method, e.g. {@code GET}. */
    public String method;
    /** The request target as sent (absolute URL or path with query). */
    public String url;
    /** The protocol version from the request line, e.g. {@code HTTP/1.1}; may be null. */
    public String version;
    /** Header lines as {@code Name: value}, in order; may be null. */
    public List<String> headers;
    /** The body, empty when there is none. */
    public String body = "";
}
