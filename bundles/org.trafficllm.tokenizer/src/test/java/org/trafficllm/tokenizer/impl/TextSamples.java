package org.trafficllm.tokenizer.impl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;

/** Texts for compatibility checks: real instructions and HTTP requests, and made-up hard cases. */
final class TextSamples {
    private TextSamples() {
    }

    /** Every {@code step}-th instruction of TrafficLLM's instruction set. */
    static List<String> instructions(int step) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(SharedFiles.data().resolve("trafficllm/instruction.json"));
        lines.removeIf(String::isBlank);
        for (int i = 0; i < lines.size(); i += step) {
            JsonNode row = TokenizerJson.JSON.readTree(lines.get(i));
            out.add(row.get("instruction").asText());
        }
        return out;
    }

    /** All instructions, split by row: index % 10 == 0 is held out ({@code [1]}), the rest trains ({@code [0]}). */
    static List<List<String>> instructionSplit() throws IOException {
        List<String> instructions = instructions(1);
        List<String> train = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            (i % 10 == 0 ? held : train).add(instructions.get(i));
        }
        return List.of(train, held);
    }

    /** The first {@code count} whole HTTP requests (CRLF, multi-line) of a CSIC 2010 file. */
    static List<String> httpRequests(String file, int count) throws IOException {
        List<String> out = new ArrayList<>();
        Path path = SharedFiles.data().resolve("csic2010").resolve(file);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(path)), StandardCharsets.ISO_8859_1))) {
            StringBuilder request = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null && out.size() < count) {
                if ((line.startsWith("GET http") || line.startsWith("POST http") || line.startsWith("PUT http"))
                        && request.length() > 0) {
                    out.add(request.toString());
                    request.setLength(0);
                }
                request.append(line).append("\r\n");
            }
        }
        return out;
    }

    /**
     * USTC-TFC2016 session payloads (DeepTraffic's 784-byte idx samples) as flow-bytes-like text:
     * {@code <pck>} then the hex of each 128-byte slice, trailing zero padding dropped.
     */
    static List<String> sessionHex(int from, int count) throws IOException {
        Path path = SharedFiles.data().resolve("ustc-tfc2016/deeptraffic-idx/20class/SessionL7/images-idx3-ubyte.gz");
        byte[] all;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            all = in.readAllBytes();
        }
        int samples = ((all[4] & 0xFF) << 24) | ((all[5] & 0xFF) << 16) | ((all[6] & 0xFF) << 8) | (all[7] & 0xFF);
        List<String> out = new ArrayList<>();
        for (int s = from; s < Math.min(samples, from + count); s++) {
            int base = 16 + s * 784;
            int end = 784;
            while (end > 0 && all[base + end - 1] == 0) {
                end--;
            }
            StringBuilder text = new StringBuilder();
            for (int slice = 0; slice < end; slice += 128) {
                text.append("<pck>");
                for (int i = slice; i < Math.min(end, slice + 128); i++) {
                    text.append(Character.forDigit((all[base + i] >> 4) & 0xF, 16))
                            .append(Character.forDigit(all[base + i] & 0xF, 16));
                }
            }
            if (end > 0) {
                out.add(text.toString());
            }
        }
        return out;
    }

    /** Texts that stress the pre-tokenizer: odd whitespace, contractions, non-BMP characters, long runs. */
    static List<String> hardCases(long seed, int randomCount) {
        List<String> out = new ArrayList<>(List.of(
                "", " ", "  ", "\n", "\r\n\r\n", " \t\u00a0\u2003x", "a  ", "it's they're we've I'm you'll he'd 'S",
                "emoji 😀😃 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ünïcödé 日本語 한국어 العربية", "<|endoftext|>tail<pad> <pad>x",
                "0xdeadbeef 4500003c1c4640004006b1e6ac100a0cac100a0c 1603010200010001fc0303",
                "tcp.flags.syn: 1, tcp.flags.ack: 0, ip.src: 10.0.0.1, frame.time_epoch: 1419949235.123456789",
                "<pck>4500003c<pck>45000028000040004006<pck>", "a".repeat(3000), "00".repeat(700),
                "\u0000\u0001\u007f\u0085\u2028\u2029 control \u001c\u001d\u001e\u001f x\u001fy \u00a0z\u3000w",
                "a\u00a0\u00a0b \u2003\u2003c"));
        Random random = new Random(seed);
        String alphabet = "abcdef0123456789 .:,<>pckGHIJ\n\t'sé日😀-_/";
        for (int i = 0; i < randomCount; i++) {
            StringBuilder s = new StringBuilder();
            int len = random.nextInt(80);
            for (int j = 0; j < len; j++) {
                s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            out.add(s.toString());
        }
        return out;
    }
}
