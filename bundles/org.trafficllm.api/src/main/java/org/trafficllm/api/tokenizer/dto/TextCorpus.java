package org.trafficllm.api.tokenizer.dto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/**
 * Texts to train on or to measure: the lines of {@link #files} (UTF-8, one text per line, a
 * name ending in {@code .gz} is read through gzip), then the elements of {@link #texts}. Both
 * are read exactly once, in order.
 */
public class TextCorpus extends DTO {
    /** Text files, one text per line (LF or CRLF); empty lines are skipped. */
    public List<Path> files = new ArrayList<>();
    /** Texts given directly, possibly lazily (e.g. {@code stream::iterator}); may be {@code null}. */
    public Iterable<String> texts;
}
