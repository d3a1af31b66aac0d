package org.trafficllm.api.text;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.text.dto.HttpRequestDTO;

/** Parses one raw HTTP/1.x request (request line, headers, blank line, body). */
@ProviderType
public interface HttpRequestParser {

    /**
     * The request's method, target URL, headers and body. The body is the text after
     * the blank line, bounded by Content-Length when present.
     *
     * @throws TextFormatException when there is no valid request line
     */
    HttpRequestDTO parse(CharSequence raw) throws TextFormatException;
}
