package org.trafficllm.api.tuning.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** Dataset files whose texts are to be written as tokenizer corpora (one text per line). */
public class CorpusRequestDTO extends DTO {
    /** Dataset builder JSON Lines files; each is read with the task descriptor beside it. */
    public List<String> datasets = new ArrayList<>();
    /** The folder the corpus files are written to. */
    public String output;
    /** At most this many texts from each file (a seeded draw); 0 for all. */
    public int textsPerFile;
    public long seed = 42;
}
