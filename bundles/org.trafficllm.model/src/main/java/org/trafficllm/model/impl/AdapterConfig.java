package org.trafficllm.model.impl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trafficllm.api.model.ModelException;

/** The parts of PEFT's {@code adapter_config.json} that decide how an adapter applies. */
final class AdapterConfig {
    static final String LORA = "LORA";
    static final String PREFIX_TUNING = "PREFIX_TUNING";

    final String peftType;
    final int r;
    final double loraAlpha;
    final boolean useRslora;
    /** Target module names (suffix match, PEFT's list form) or null when {@link #targetRegex} is set. */
    final List<String> targetModules;
    final Pattern targetRegex;
    final Map<String, Double> alphaPattern;
    final int numVirtualTokens;
    final int tokenDim;
    final int numLayers;
    final int numAttentionHeads;
    final ObjectNode raw;

    private AdapterConfig(String source, ObjectNode c) throws ModelException {
        raw = c;
        peftType = c.path("peft_type").asText("");
        if (!peftType.equals(LORA) && !peftType.equals(PREFIX_TUNING)) {
            throw new ModelException(source + ": peft_type '" + peftType + "' is not supported (LORA, PREFIX_TUNING are)");
        }
        r = c.path("r").asInt(8);
        loraAlpha = c.path("lora_alpha").asDouble(8);
        useRslora = c.path("use_rslora").asBoolean(false);
        JsonNode targets = c.path("target_modules");
        if (targets.isTextual()) {
            targetRegex = Pattern.compile(targets.asText());
            targetModules = null;
        } else {
            targetRegex = null;
            targetModules = new ArrayList<>();
            targets.forEach(t -> targetModules.add(t.asText()));
        }
        alphaPattern = new LinkedHashMap<>();
        c.path("alpha_pattern").fields().forEachRemaining(e -> alphaPattern.put(e.getKey(), e.getValue().asDouble()));
        if (peftType.equals(LORA)) {
            if (c.path("use_dora").asBoolean(false)) {
                throw new ModelException(source + ": use_dora true is not supported");
            }
            if (!c.path("bias").asText("none").equals("none") || c.path("lora_bias").asBoolean(false)) {
                throw new ModelException(source + ": LoRA bias training ('bias' other than none) is not supported");
            }
            if (!c.path("modules_to_save").isNull() && !c.path("modules_to_save").isMissingNode()
                    && c.path("modules_to_save").size() > 0) {
                throw new ModelException(source + ": modules_to_save " + c.get("modules_to_save") + " is not supported");
            }
        }
        numVirtualTokens = c.path("num_virtual_tokens").asInt(0);
        tokenDim = c.path("token_dim").asInt(0);
        numLayers = c.path("num_layers").asInt(0);
        numAttentionHeads = c.path("num_attention_heads").asInt(0);
        if (peftType.equals(PREFIX_TUNING) && numVirtualTokens <= 0) {
            throw new ModelException(source + ": num_virtual_tokens must be positive");
        }
    }

    static AdapterConfig parse(String source, byte[] json) throws ModelException {
        JsonNode node;
        try {
            node = ModelConfig.JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelException(source + ": not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ModelException(source + ": not a JSON object");
        }
        return new AdapterConfig(source, (ObjectNode) node);
    }

    /** PEFT's target matching: a listed name equals the module path or its last segments. */
    boolean targets(String module) {
        if (targetRegex != null) {
            return targetRegex.matcher(module).matches();
        }
        for (String t : targetModules) {
            if (module.equals(t) || module.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }

    /** LoRA scale for a module, honouring alpha_pattern and rsLoRA. */
    double scale(String module, int rank) {
        double alpha = loraAlpha;
        for (Map.Entry<String, Double> e : alphaPattern.entrySet()) {
            if (module.equals(e.getKey()) || module.endsWith("." + e.getKey())) {
                alpha = e.getValue();
            }
        }
        return useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
    }
}
