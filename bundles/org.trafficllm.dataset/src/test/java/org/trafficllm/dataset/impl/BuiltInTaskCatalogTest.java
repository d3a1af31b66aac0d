package org.trafficllm.dataset.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;

/**
 * The catalog's templates against the texts in TrafficLLM's sources, copied here
 * from those files: {@code inference.py} (commit 403f303a) for MTD, BND, WAD, AAD,
 * EVD and TBD, {@code llm/llama-recipes/preprocess/preprocess_utils.py} (commit
 * cf3ed447) for MDD, EAC and the generation tasks.
 */
class BuiltInTaskCatalogTest {
    /** inference.py's preprompt set, each string exactly as there (trailing newline included). */
    private static final Map<String, String> INFERENCE_PREPROMPTS = Map.of(
            "MTD", "Given the following traffic data <packet> that contains protocol fields, traffic features, and "
                    + "payloads. Please conduct the ENCRYPTED MALWARE DETECTION TASK to determine which application "
                    + "category the encrypted beign or malicious traffic belongs to. The categories include 'BitTorrent, "
                    + "FTP, Facetime, Gmail, MySQL, Outlook, SMB, Skype, Weibo, WorldOfWarcraft,Cridex, Geodo, Htbot, Miuref, "
                    + "Neris, Nsis-ay, Shifu, Tinba, Virut, Zeus'.\n",
            "BND", "Given the following traffic data <packet> that contains protocol fields, traffic features, "
                    + "and payloads. Please conduct the BOTNET DETECTION TASK to determine which type of network the "
                    + "traffic belongs to. The categories include 'IRC, Neris, RBot, Virut, normal'.\n",
            "WAD", "Classify the given HTTP request into normal and abnormal categories. Each HTTP request will consist "
                    + "of three parts: method, URL, and body, presented in JSON format. If a web attack is detected in an "
                    + "HTTP request, please output an 'exception'. Only output 'abnormal' or 'normal', no additional output "
                    + "is required. The given HTTP request is as follows:\n",
            "EVD", "Given the following traffic data <packet> that contains protocol fields, traffic features, "
                    + "and payloads. Please conduct the encrypted VPN detection task to determine which behavior or "
                    + "application category the VPN encrypted traffic belongs to. The categories include 'aim, bittorrent, "
                    + "email, facebook, ftps, hangout, icq, netflix, sftp, skype, spotify, vimeo, voipbuster, youtube'.\n",
            "TBD", "Given the following traffic data <packet> that contains protocol fields, traffic features, and "
                    + "payloads. Please conduct the TOR BEHAVIOR DETECTION TASK to determine which behavior or application "
                    + "category the traffic belongs to under the Tor network. The categories include 'audio, browsing, chat, "
                    + "file, mail, p2p, video, voip'.\n");

    private final BuiltInTaskCatalog catalog = new BuiltInTaskCatalog();

    @Test
    void listsTrafficLlmsFourteenTasksAndTheRouter() {
        List<TaskDescriptorDTO> tasks = catalog.tasks();
        assertThat(tasks).extracting(task -> task.id).containsExactly("MTD", "BND", "MDD", "WAD", "AAD", "EVD",
                "TBD", "EAC", "WF", "CD", "MTG", "BTG", "EVG", "EAG", "NLP");
        assertThat(tasks).filteredOn(task -> task.kind == TaskKind.DETECTION).hasSize(10);
        assertThat(tasks).filteredOn(task -> task.kind == TaskKind.GENERATION).hasSize(4);
        assertThat(tasks).allSatisfy(task -> assertThat(task.templateSource).isNotBlank());
        TaskDescriptorDTO router = catalog.task("NLP").orElseThrow();
        assertThat(router.labels).containsExactlyElementsOf(
                tasks.subList(0, 14).stream().map(task -> task.name).toList());
    }

    @Test
    void inferencePrepromptsAreReproducedVerbatimAtPacketGranularity() {
        for (String id : List.of("MTD", "BND", "WAD", "EVD", "TBD")) {
            TaskDescriptorDTO task = catalog.task(id, Granularity.PACKET).orElseThrow();
            String prompt = fill(task.promptTemplate, "packet", "frame.len: 60", null);
            // inference.py: preprompt + traffic data given as "<packet>: ..."
            assertThat(prompt).as(id).isEqualTo(INFERENCE_PREPROMPTS.get(id) + "<packet>: frame.len: 60");
            assertThat(fill(task.outputTemplate, "packet", "x", "Neris")).isEqualTo("Neris");
        }
    }

    @Test
    void aptDetectionReusesTheWebAttackTextAndDropsThePacketMarker() {
        TaskDescriptorDTO aad = catalog.task("AAD").orElseThrow();
        String prompt = fill(aad.promptTemplate, "packet", "frame.len: 60", null);
        assertThat(prompt).isEqualTo(INFERENCE_PREPROMPTS.get("WAD") + "frame.len: 60");
        assertThat(aad.labels).containsExactly("normal", "abnormal");
    }

    @Test
    void flowGranularityNamesTheFlowAsTrafficLlmsPreprocessingDid() {
        TaskDescriptorDTO mtd = catalog.task("MTD", Granularity.FLOW).orElseThrow();
        assertThat(mtd.renderer).isEqualTo("flow-bytes");
        assertThat(fill(mtd.promptTemplate, "flow", "<pck>00", null))
                .startsWith("Given the following traffic data <flow> that contains")
                .endsWith("Virut, Zeus'.\n<flow>: <pck>00");
        assertThat(catalog.task("WAD", Granularity.FLOW)).isEmpty();
        assertThat(catalog.task("MTD", Granularity.PACKET).orElseThrow().renderer).isEqualTo("traffic-words");
    }

    @Test
    void doHDetectionAnswersInTrafficLlmsSentence() {
        TaskDescriptorDTO mdd = catalog.task("Malicious DoH Detection").orElseThrow();
        assertThat(fill(mdd.promptTemplate, "packet", "frame.len: 60", null)).isEqualTo(
                "Below is a traffic packet. Please conduct the malicious DoH detection task: \n<packet>: frame.len: 60");
        assertThat(fill(mdd.outputTemplate, "packet", "x", "Malicious"))
                .isEqualTo("The traffic category is likely to be recognized as Malicious.");
    }

    @Test
    void appClassificationKeepsTheTrailingSpaceOfItsSource() {
        TaskDescriptorDTO eac = catalog.task("eac").orElseThrow();
        assertThat(fill(eac.promptTemplate, "packet", "T", null)).isEqualTo(
                "Given the following traffic data <packet> that contains protocol fields, traffic features, and "
                        + "payloads. Please conduct the ENCRYPTED APP CLASSIFICATION TASK to determine which APP "
                        + "category the encrypted traffic belongs to. \n<packet>: T");
        assertThat(catalog.task("WF").orElseThrow().templateSource).contains("published no template");
        assertThat(catalog.task("CD").orElseThrow().templateSource).contains("published no template");
    }

    @Test
    void generationAsksForALabelAndAnswersWithTraffic() {
        for (String id : List.of("MTG", "BTG", "EVG", "EAG")) {
            TaskDescriptorDTO task = catalog.task(id).orElseThrow();
            assertThat(task.kind).isEqualTo(TaskKind.GENERATION);
            // the example of TrafficLLM's tutorials/README.md
            assertThat(fill(task.promptTemplate, "packet", "00ff", "Neris"))
                    .isEqualTo("Please generate a packet of Neris traffic.");
            assertThat(fill(task.outputTemplate, "packet", "00ff", "Neris")).isEqualTo("00ff");
        }
    }

    @Test
    void fillReplacesKnownPlaceholdersOnceAndLeavesOtherBraces() {
        String filled = catalog.fill("{a} {traffic} {x} {", Map.of("traffic", "{label}", "label", "L", "a", "A"));
        assertThat(filled).isEqualTo("A {label} {x} {");
    }

    @Test
    void returnsCopiesTheCallerMayChange() {
        catalog.task("MTD").orElseThrow().labels.clear();
        assertThat(catalog.task("MTD").orElseThrow().labels).hasSize(20);
    }

    private String fill(String template, String granularity, String traffic, String label) {
        Map<String, String> fields = new java.util.HashMap<>();
        fields.put(TaskCatalog.GRANULARITY, granularity);
        fields.put(TaskCatalog.TRAFFIC, traffic);
        if (label != null) {
            fields.put(TaskCatalog.LABEL, label);
        }
        return catalog.fill(template, fields);
    }
}
