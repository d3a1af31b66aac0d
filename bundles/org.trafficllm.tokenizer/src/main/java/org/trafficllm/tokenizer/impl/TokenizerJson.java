package org.trafficllm.tokenizer.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.trafficllm.api.tokenizer.TokenizerException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Hugging Face {@code tokenizer.json} with a byte-level BPE model, read and checked. Anything
 * this implementation would tokenize differently from Hugging Face tokenizers is refused with a
 * one-line message naming the file and the JSON path. The parsed JSON tree is kept so that an
 * extension can rewrite the file without losing fields it does not interpret.
 */
final class TokenizerJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final ObjectNode root;
    private final Map<String, Integer> vocab;
    private final List<int[]> merges;
    private final boolean mergesAsPairs;
    private final List<AddedToken> addedTokens;
    private final TextNormalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final WordRule wordRule;
    private final boolean ignoreMerges;

    /**
     * The shape of a pre-tokenizer that one regex plus {@code ByteLevel} describes: the words the
     * regex finds are byte-encoded, after an optional prefix space. {@code null} for other shapes.
     */
    record WordRule(String regex, boolean addPrefixSpace, boolean trimOffsets) {
    }

    private TokenizerJson(String name, ObjectNode root) throws TokenizerException {
        this.name = name;
        this.root = root;
        JsonNode model = root.path("model");
        if (!model.isObject()) {
            throw error("has no \"model\" object; not a Hugging Face tokenizer.json");
        }
        String type = model.path("type").asText(model.has("merges") ? "BPE" : "");
        if (!type.equals("BPE")) {
            throw error("model.type is \"" + type + "\", expected \"BPE\"");
        }
        for (String field : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            if (!model.path(field).asText("").isEmpty()) {
                throw error("model." + field + " is set; byte-level BPE does not use it");
            }
        }
        if (model.path("dropout").isNumber() && model.path("dropout").asDouble() > 0) {
            throw error("model.dropout is " + model.path("dropout").asDouble() + "; tokenization would be random");
        }
        vocab = readVocab(model.path("vocab"));
        boolean alphabetComplete = true;
        for (char c : ByteLevelAlphabet.characters()) {
            alphabetComplete &= vocab.containsKey(String.valueOf(c));
        }
        if (!alphabetComplete && (model.path("byte_fallback").asBoolean(false) || !model.path("unk_token").isNull()
                && model.has("unk_token"))) {
            throw error("model.vocab lacks some of the 256 byte-level characters and model sets "
                    + "unk_token or byte_fallback; not supported");
        }
        ignoreMerges = model.path("ignore_merges").asBoolean(false);
        JsonNode mergesNode = model.path("merges");
        mergesAsPairs = mergesNode.size() == 0 || mergesNode.get(0).isArray();
        merges = readMerges(mergesNode);
        normalizer = readNormalizer(root.path("normalizer"), "normalizer");
        List<PreTokenizerStep> steps = new ArrayList<>();
        boolean[] byteLevel = {false};
        readPreTokenizer(root.path("pre_tokenizer"), "pre_tokenizer", steps, byteLevel);
        if (!byteLevel[0]) {
            throw error("pre_tokenizer has no ByteLevel step; not a byte-level BPE");
        }
        preTokenizer = new PreTokenizer(steps);
        wordRule = readWordRule(root.path("pre_tokenizer"));
        String decoder = root.path("decoder").path("type").asText("");
        if (!decoder.equals("ByteLevel")) {
            throw error("decoder.type is \"" + decoder + "\", expected \"ByteLevel\"");
        }
        addedTokens = readAddedTokens(root.path("added_tokens"));
    }

    static TokenizerJson read(Path file) throws TokenizerException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file + ": no such file");
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    static TokenizerJson parse(byte[] json, String name) throws TokenizerException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TokenizerException(name + ": malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException(name + ": cannot parse: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TokenizerException(name + ": not a JSON object; not a Hugging Face tokenizer.json");
        }
        return new TokenizerJson(name, (ObjectNode) root);
    }

    String name() {
        return name;
    }

    /** A deep copy of the JSON tree, for writing a changed file. */
    ObjectNode copyOfTree() {
        return root.deepCopy();
    }

    Map<String, Integer> vocab() {
        return vocab;
    }

    List<int[]> merges() {
        return merges;
    }

    boolean mergesAsPairs() {
        return mergesAsPairs;
    }

    List<AddedToken> addedTokens() {
        return addedTokens;
    }

    /** The pre-tokenizer as one regex plus ByteLevel, or {@code null} when it has another shape. */
    WordRule wordRule() {
        return wordRule;
    }

    ByteLevelTokenizer tokenizer() {
        return tokenizer(preTokenizer);
    }

    /** This file's tokenizer with another pre-tokenizer. */
    ByteLevelTokenizer tokenizer(PreTokenizer replacement) {
        return new ByteLevelTokenizer(new BpeModel(vocab, merges), normalizer, replacement,
                assignAddedIds(), ignoreMerges);
    }

    TokenizerException error(String problem) {
        return new TokenizerException(name + ": " + problem);
    }

    private Map<String, Integer> readVocab(JsonNode node) throws TokenizerException {
        if (!node.isObject()) {
            throw error("model.vocab is not an object");
        }
        Map<String, Integer> out = new LinkedHashMap<>(node.size() * 2);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw error("model.vocab[\"" + e.getKey() + "\"] is " + e.getValue() + ", expected an id >= 0");
            }
            out.put(e.getKey(), e.getValue().asInt());
        }
        return out;
    }

    private List<int[]> readMerges(JsonNode node) throws TokenizerException {
        if (!node.isArray()) {
            throw error("model.merges is not an array");
        }
        List<int[]> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String left;
            String right;
            if (m.isArray() && m.size() == 2) {
                left = m.get(0).asText();
                right = m.get(1).asText();
            } else if (m.isTextual() && m.asText().indexOf(' ') > 0
                    && m.asText().indexOf(' ') == m.asText().lastIndexOf(' ')) {
                left = m.asText().substring(0, m.asText().indexOf(' '));
                right = m.asText().substring(m.asText().indexOf(' ') + 1);
            } else {
                throw error("model.merges[" + i + "] is " + m + ", expected \"a b\" or [\"a\", \"b\"]");
            }
            Integer l = vocab.get(left);
            Integer r = vocab.get(right);
            String merged = left + right;
            if (l == null || r == null || !vocab.containsKey(merged)) {
                String missing = l == null ? left : r == null ? right : merged;
                throw error("model.merges[" + i + "]: \"" + missing + "\" is not in model.vocab");
            }
            out.add(new int[] {l, r});
        }
        return out;
    }

    private TextNormalizer readNormalizer(JsonNode node, String path) throws TokenizerException {
        if (node.isMissingNode() || node.isNull()) {
            return TextNormalizer.NONE;
        }
        List<Normalizer.Form> forms = new ArrayList<>();
        collectForms(node, path, forms);
        return new TextNormalizer(forms);
    }

    private void collectForms(JsonNode node, String path, List<Normalizer.Form> forms) throws TokenizerException {
        String type = node.path("type").asText("");
        switch (type) {
            case "NFC" -> forms.add(Normalizer.Form.NFC);
            case "NFD" -> forms.add(Normalizer.Form.NFD);
            case "NFKC" -> forms.add(Normalizer.Form.NFKC);
            case "NFKD" -> forms.add(Normalizer.Form.NFKD);
            case "Sequence" -> {
                JsonNode list = node.path("normalizers");
                for (int i = 0; i < list.size(); i++) {
                    collectForms(list.get(i), path + ".normalizers[" + i + "]", forms);
                }
            }
            default -> throw error(path + ".type \"" + type + "\" is not supported (NFC, NFD, NFKC, NFKD, Sequence)");
        }
    }

    private void readPreTokenizer(JsonNode node, String path, List<PreTokenizerStep> steps, boolean[] byteLevel)
            throws TokenizerException {
        String type = node.path("type").asText("");
        switch (type) {
            case "ByteLevel" -> {
                steps.add(new ByteLevelStep(node.path("add_prefix_space").asBoolean(true),
                        node.path("use_regex").asBoolean(true)));
                byteLevel[0] = true;
            }
            case "Split" -> steps.add(readSplit(node, path));
            case "Sequence" -> {
                JsonNode list = node.path("pretokenizers");
                for (int i = 0; i < list.size(); i++) {
                    readPreTokenizer(list.get(i), path + ".pretokenizers[" + i + "]", steps, byteLevel);
                }
            }
            default -> throw error(path + ".type is \"" + type + "\"; supported: ByteLevel, Split, Sequence");
        }
    }

    private RegexSplitStep readSplit(JsonNode node, String path) throws TokenizerException {
        String behavior = node.path("behavior").asText("");
        if (!behavior.equals("Isolated") && !behavior.equals("Removed")) {
            throw error(path + ".behavior \"" + behavior + "\" is not supported (Isolated, Removed)");
        }
        JsonNode pattern = node.path("pattern");
        Pattern compiled;
        if (pattern.has("Regex")) {
            try {
                compiled = ByteLevelStep.compile(pattern.path("Regex").asText());
            } catch (PatternSyntaxException e) {
                throw error(path + ".pattern.Regex does not compile: " + e.getDescription());
            }
        } else if (pattern.has("String")) {
            compiled = Pattern.compile(Pattern.quote(pattern.path("String").asText()));
        } else {
            throw error(path + ".pattern has neither \"Regex\" nor \"String\"");
        }
        return new RegexSplitStep(compiled, behavior.equals("Removed"), node.path("invert").asBoolean(false));
    }

    private static WordRule readWordRule(JsonNode node) {
        String type = node.path("type").asText("");
        if (type.equals("ByteLevel") && node.path("use_regex").asBoolean(true)) {
            return new WordRule(ByteLevelStep.GPT2_PATTERN, node.path("add_prefix_space").asBoolean(true),
                    node.path("trim_offsets").asBoolean(true));
        }
        if (type.equals("Sequence") && node.path("pretokenizers").size() == 2) {
            JsonNode split = node.path("pretokenizers").get(0);
            JsonNode byteLevel = node.path("pretokenizers").get(1);
            if (split.path("type").asText("").equals("Split") && split.path("pattern").has("Regex")
                    && split.path("behavior").asText("").equals("Isolated") && !split.path("invert").asBoolean(false)
                    && byteLevel.path("type").asText("").equals("ByteLevel")
                    && !byteLevel.path("use_regex").asBoolean(true)) {
                return new WordRule(split.path("pattern").path("Regex").asText(),
                        byteLevel.path("add_prefix_space").asBoolean(true),
                        byteLevel.path("trim_offsets").asBoolean(true));
            }
        }
        return null;
    }

    private List<AddedToken> readAddedTokens(JsonNode node) throws TokenizerException {
        List<AddedToken> out = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw error("added_tokens is not an array");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            if (!t.path("content").isTextual() || !t.path("id").canConvertToInt()) {
                throw error("added_tokens[" + i + "] needs a string \"content\" and an integer \"id\"");
            }
            boolean special = t.path("special").asBoolean(false);
            out.add(new AddedToken(t.path("id").asInt(), t.path("content").asText(),
                    t.path("single_word").asBoolean(false), t.path("lstrip").asBoolean(false),
                    t.path("rstrip").asBoolean(false), t.path("normalized").asBoolean(!special), special));
        }
        return out;
    }

    /**
     * The ids Hugging Face tokenizers gives added tokens on loading, which are not always those
     * written in the file: a token in the model's vocabulary takes the model's id, any other the
     * next id after the model's vocabulary size or after the largest added id.
     */
    private List<AddedToken> assignAddedIds() {
        List<AddedToken> out = new ArrayList<>(addedTokens.size());
        Map<String, Integer> assigned = new HashMap<>();
        int max = -1;
        for (AddedToken t : addedTokens) {
            if (t.content().isEmpty()) {
                continue;
            }
            Integer id = assigned.get(t.content());
            if (id == null) {
                id = vocab.get(t.content());
            }
            if (id == null) {
                id = max >= 0 && (max >= vocab.size() || vocab.isEmpty()) ? max + 1 : vocab.size();
            }
            assigned.put(t.content(), id);
            max = Math.max(max, id);
            out.add(new AddedToken(id, t.content(), t.singleWord(), t.lstrip(), t.rstrip(), t.normalized(),
                    t.special()));
        }
        return out;
    }
}
