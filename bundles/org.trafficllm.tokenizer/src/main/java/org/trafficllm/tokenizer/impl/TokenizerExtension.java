package org.trafficllm.tokenizer.impl;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.trafficllm.api.tokenizer.TokenizerException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A base {@code tokenizer.json} with entries appended: vocabulary entries after the base's,
 * merges after the base's (in the base's own merge notation), added tokens after the base's,
 * and optionally another pre-tokenizer. Everything else of the base file is kept as it was.
 */
final class TokenizerExtension {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode root;
    private final ObjectNode vocab;
    private final ArrayNode merges;
    private final ArrayNode addedTokens;
    private final boolean mergesAsPairs;

    TokenizerExtension(TokenizerJson base) {
        root = base.copyOfTree();
        ObjectNode model = (ObjectNode) root.get("model");
        vocab = (ObjectNode) model.get("vocab");
        merges = (ArrayNode) model.get("merges");
        if (!root.path("added_tokens").isArray()) {
            root.putArray("added_tokens");
        }
        addedTokens = (ArrayNode) root.get("added_tokens");
        mergesAsPairs = base.mergesAsPairs();
    }

    void addVocab(String token, int id) {
        vocab.put(token, id);
    }

    void addMerge(String left, String right) {
        if (mergesAsPairs) {
            merges.addArray().add(left).add(right);
        } else {
            merges.add(left + " " + right);
        }
    }

    /** Registers {@code content} as an added token, matched on the raw text before any normalizer. */
    void addAddedToken(int id, String content, boolean special) {
        addedTokens.addObject()
                .put("id", id)
                .put("content", content)
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", false)
                .put("special", special);
    }

    /** Replaces the pre-tokenizer by {@code regex} words, byte-encoded with the given ByteLevel options. */
    void splitWordsWith(String regex, boolean addPrefixSpace, boolean trimOffsets) {
        ObjectNode pre = NODES.objectNode().put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", regex);
        split.put("behavior", "Isolated").put("invert", false);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", addPrefixSpace)
                .put("trim_offsets", trimOffsets).put("use_regex", false);
        root.set("pre_tokenizer", pre);
    }

    byte[] toBytes() {
        try {
            return TokenizerJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }

    /** Writes {@code bytes} to {@code output} through a temporary file, so a reader never sees half a file. */
    static void write(byte[] bytes, Path output) throws TokenizerException {
        Path dir = output.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, output.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new TokenizerException(output + ": cannot write: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the temporary file is left behind; the result itself is complete or reported
                }
            }
        }
    }

    /**
     * A byte-level BPE without merges, laid out as Hugging Face tokenizers' trainer lays out its
     * own: special tokens first (ids 0, 1, ...), then the 256 byte characters in character order,
     * GPT-2's ByteLevel pre-tokenizer, post-processor and decoder.
     */
    static byte[] emptyByteLevelBase(List<String> specialTokens) {
        ObjectNode root = NODES.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false, true));
        root.set("post_processor", byteLevel(true, false));
        root.set("decoder", byteLevel(true, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").putNull("unk_token").putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix").put("fuse_unk", false).put("byte_fallback", false)
                .put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        model.putArray("merges");
        int id = 0;
        for (String special : specialTokens) {
            added.addObject().put("id", id).put("content", special).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
            vocab.put(special, id++);
        }
        char[] alphabet = ByteLevelAlphabet.characters();
        java.util.Arrays.sort(alphabet);
        for (char c : alphabet) {
            if (!vocab.has(String.valueOf(c))) {
                vocab.put(String.valueOf(c), id++);
            }
        }
        try {
            return TokenizerJson.JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        return NODES.objectNode().put("type", "ByteLevel").put("add_prefix_space", addPrefixSpace)
                .put("trim_offsets", trimOffsets).put("use_regex", true);
    }
}
