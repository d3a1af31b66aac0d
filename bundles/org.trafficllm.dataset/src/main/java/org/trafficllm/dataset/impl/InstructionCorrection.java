package org.trafficllm.dataset.impl;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The fixed keyword rules that repair TrafficLLM's stage-1 instruction set, whose
 * web-attack instructions carry the task name "Encrypted App Classification" and
 * whose APT instructions carry "Concept Drift". Each rule looks only at rows with its
 * {@code from} name, so correctly labelled rows of other tasks are never touched.
 */
final class InstructionCorrection {
    static final String EAC = "Encrypted App Classification";
    static final String WAD = "Web Attack Detection";
    static final String CD = "Concept Drift";
    static final String AAD = "APT Attack Detection";

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;
    private static final Pattern WEB_CONTEXT = Pattern.compile(
            "\\bweb\\b|HTTP|\\bURLs?\\b|SQL|XSS|cross-site|CSRF|request|login|brute.force|injection", FLAGS);
    private static final Pattern WEB_ATTACK_CUE = Pattern.compile(
            "attack|malicious|inject|exploit|vulnerab|XSS|CSRF|SQL|brute.force|tamper|abnormal|anomal|suspicious"
                    + "|intrusion|threat", FLAGS);
    private static final Pattern ATTACKER = Pattern.compile("attacker", FLAGS);
    private static final Pattern DRIFT = Pattern.compile("concept|drift|shift", FLAGS);
    private static final Pattern APT_CUE = Pattern.compile(
            "\\bAPT\\b|attack|malicious|threat|intrusion|\\bC2\\b|scan|lateral|breach|leak|penetrat|persisten"
                    + "|exfiltrat|offensive|disguised|masquerad", FLAGS);

    /** One rule: rows named {@code from} whose instruction matches become {@code to}. */
    record Rule(String name, String from, String to, String description) {
        boolean matches(String instruction) {
            return switch (name) {
                case "web-attack" -> WEB_CONTEXT.matcher(instruction).find()
                        && WEB_ATTACK_CUE.matcher(instruction).find() || ATTACKER.matcher(instruction).find();
                case "apt-attack" -> APT_CUE.matcher(instruction).find() && !DRIFT.matcher(instruction).find();
                default -> false;
            };
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule("web-attack", EAC, WAD, "an instruction labelled '" + EAC + "' that names a web context ("
                    + WEB_CONTEXT.pattern() + ") together with an attack cue (" + WEB_ATTACK_CUE.pattern()
                    + "), or that mentions an attacker; case-insensitive"),
            new Rule("apt-attack", CD, AAD, "an instruction labelled '" + CD + "' that has an attack cue ("
                    + APT_CUE.pattern() + ") and no concept-drift word (" + DRIFT.pattern()
                    + "); case-insensitive"));

    private InstructionCorrection() {
    }

    /** The rule that relabels this row, or null. */
    static Rule ruleFor(String task, String instruction) {
        for (Rule rule : RULES) {
            if (rule.from().equals(task) && rule.matches(instruction)) {
                return rule;
            }
        }
        return null;
    }
}
