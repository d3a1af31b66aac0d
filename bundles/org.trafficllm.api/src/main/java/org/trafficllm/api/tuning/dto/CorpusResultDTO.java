package org.trafficllm.api.tuning.dto;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.dto.DTO;

/** The corpus files written: traffic texts by representation, and natural language. */
public class CorpusResultDTO extends DTO {
    /** Corpus file → texts written; {@code traffic-<renderer>.txt} per traffic representation, {@code natural.txt}. */
    public Map<String, Long> files = new LinkedHashMap<>();
}
