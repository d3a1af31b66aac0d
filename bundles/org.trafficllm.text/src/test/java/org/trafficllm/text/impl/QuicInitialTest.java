package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;

class QuicInitialTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 9001 appendix A.2: the client's first Initial as sent, 1200 bytes, DCID 8394c8f03e515708. */
    private static final String RFC_9001_CLIENT_INITIAL = ""
            + "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11"
            + "d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399"
            + "1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c"
            + "8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212"
            + "30c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5"
            + "457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208"
            + "4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec"
            + "4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3"
            + "485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db"
            + "059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c"
            + "7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8"
            + "9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556"
            + "be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c74"
            + "68449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663a"
            + "c69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00"
            + "f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632"
            + "291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe58964"
            + "25c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd"
            + "14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ff"
            + "ef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198"
            + "e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd"
            + "c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73"
            + "203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77f"
            + "cb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e"
            + "fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03ade"
            + "a2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e724047"
            + "90a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2"
            + "162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f4"
            + "40591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca0"
            + "6948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e"
            + "8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0"
            + "be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f09400"
            + "54da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab"
            + "760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9"
            + "f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4"
            + "056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064"
            + "7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241"
            + "e221af44860018ab0856972e194cd934";

    /**
     * RFC 9001 appendix A.2: the data of the packet's one CRYPTO frame (the unprotected
     * payload starts 060040f1, offset 0 and length 241, then this; PADDING follows).
     */
    private static final String RFC_9001_CLIENT_HELLO = ""
            + "010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
            + "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
            + "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
            + "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
            + "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
            + "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
            + "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
            + "75300901100f088394c8f03e51570806048000ffff";

    /**
     * nDPI captures whose Initials tshark decrypts: version 1, draft-29 (Chrome's
     * fragmented and shuffled hellos, DNS over QUIC, PPP links) and version 2; some in
     * versions read here only through tshark (drafts 27, mvfst, Google's T051, greased
     * versions); and Google QUIC ones without any IETF Initial.
     */
    private static final List<String> CAPTURES = List.of("quic_frags_ch_out_of_order_same_packet_craziness.pcapng",
            "quic_frags_ch_in_multiple_packets.pcapng", "quic_frags_different_dcid.pcapng",
            "quic_crypto_aes_auth_size.pcap", "quic_0RTT.pcap", "quic-29.pcap", "quic-33.pcapng", "quic-v2.pcapng",
            "google_meet.pcapng", "sites.pcapng", "snapchat_call_v1.pcapng", "doq.pcapng", "doq_adguard.pcapng",
            "dlt_ppp.pcap", "os_detected.pcapng", "quic-27.pcap", "quic-mvfst-22.pcap", "quic_t51.pcap",
            "quic_interop_V.pcapng", "quic.pcap", "youtube_quic.pcap");

    /** tshark's {@code quic.version} of the versions {@link QuicInitial} reads. */
    private static final Set<String> READ_VERSIONS = Set.of("0x00000001", "0x6b3343cf", "0xff00001d");

    private final FlowAssemblyService flowService = new FlowAssemblyService(new PcapCaptureService());

    @Test
    void theRfc9001ClientInitialGivesItsClientHello(@TempDir Path dir) throws Exception {
        byte[] initial = HEX.parseHex(RFC_9001_CLIENT_INITIAL);
        byte[] expected = HEX.parseHex(RFC_9001_CLIENT_HELLO);
        assertThat(initial).hasSize(1200);
        assertThat(expected).hasSize(241).startsWith(0x01, 0x00, 0x00, 0xed, 0x03, 0x03);

        // a real UDP frame with the client's Initial, then a server datagram the other way
        byte[] server = new byte[60];
        List<PacketView> packets = TestPackets.read(dir, udpFrame(1, 2, 50_000, 443, initial),
                udpFrame(2, 1, 443, 50_000, server));
        assertThat(packets).hasSize(2).allSatisfy(p -> assertThat(p.ipProtocol()).isEqualTo(17));
        byte[] hello = QuicInitial.clientHello(packets);
        assertThat(hello).isEqualTo(expected);
        assertThat(serverName(hello)).isEqualTo("example.com");

        // the server's datagram alone gives nothing; before the client's Initial it is passed over
        assertThat(QuicInitial.clientHello(packets.subList(1, 2))).isNull();
        assertThat(QuicInitial.clientHello(List.of(packets.get(1), packets.get(0)))).isEqualTo(expected);

        // a retransmission, zero padding after the packet and a trailing short-header packet change nothing
        byte[] padded = Arrays.copyOf(initial, initial.length + 100);
        byte[] withShort = Arrays.copyOf(initial, initial.length + 30);
        withShort[initial.length] = 0x40;
        assertThat(QuicInitial.clientHello(initial, initial)).isEqualTo(expected);
        assertThat(QuicInitial.clientHello(padded)).isEqualTo(expected);
        assertThat(QuicInitial.clientHello(withShort)).isEqualTo(expected);

        // a wrong DCID gives other keys; a flipped tag bit fails authentication
        byte[] otherCid = initial.clone();
        otherCid[6] ^= 1;
        byte[] badTag = initial.clone();
        badTag[badTag.length - 1] ^= 1;
        assertThat(QuicInitial.clientHello(otherCid)).isNull();
        assertThat(QuicInitial.clientHello(badTag)).isNull();
        assertThat(QuicInitial.clientHello(new byte[0])).isNull();
        assertThat(QuicInitial.clientHello(List.of())).isNull();
    }

    @Test
    void serverNamesAgreeWithTsharkOnRealCaptures() throws Exception {
        int tsharkNamed = 0;
        int matched = 0;
        int otherVersionNamed = 0;
        int hellos = 0;
        int whole = 0;
        List<String> disagreements = new ArrayList<>();
        for (String capture : CAPTURES) {
            Path file = TestData.file("ndpi/pcap/" + capture);
            Map<Long, TsharkHello> expected = tsharkHellos(file);
            List<FlowView> flows = new ArrayList<>();
            FlowTableOptions options = new FlowTableOptions();
            options.packetsPerFlow = new RenderOptions().packetsPerFlow;
            flowService.readFlows(file, null, options, flows::add);
            for (FlowView flow : flows) {
                if (flow.key().protocol != 17) {
                    continue;
                }
                List<PacketView> kept = flow.firstPackets();
                TsharkHello theirs = kept.stream().map(p -> expected.get(p.number())).filter(h -> h != null)
                        .findFirst().orElse(null);
                byte[] hello = QuicInitial.clientHello(kept);
                String ours = serverName(hello);
                String where = capture + " flow " + flow.id() + " (" + flow.key().clientAddress + " "
                        + flow.key().clientPort + ")";
                if (hello != null) {
                    hellos++;
                    assertThat(hello[0]).as(where).isEqualTo((byte) 1);
                    if (theirs != null && theirs.length() >= 0 && hello.length >= theirs.length() + 4) {
                        // whole: as long as tshark's
                        assertThat(hello).as(where).hasSize(theirs.length() + 4);
                        whole++;
                    }
                }
                if (theirs != null && !theirs.name().isEmpty()) {
                    if (READ_VERSIONS.contains(theirs.version())) {
                        tsharkNamed++;
                        if (theirs.name().equals(ours)) {
                            matched++;
                        }
                    } else {
                        otherVersionNamed++;
                    }
                }
                if (ours != null && (theirs == null || !ours.equals(theirs.name()))) {
                    disagreements.add(where + ": ours " + ours + ", tshark " + theirs);
                }
            }
        }
        String counts = "tshark named " + tsharkNamed + " flows in versions read here (and " + otherVersionNamed
                + " in others); we matched " + matched + "; we returned " + hellos + " hellos, " + whole
                + " of them whole and as long as tshark's";
        assertThat(disagreements).as(counts).isEmpty();
        assertThat(tsharkNamed).as(counts).isGreaterThan(100);
        assertThat((double) matched / tsharkNamed).as(counts).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void garbledOrCutInitialsNeverThrow() throws Exception {
        // a real version-1 ClientHello split over two Initials
        List<FlowView> flows = new ArrayList<>();
        flowService.readFlows(TestData.file("ndpi/pcap/quic_frags_ch_in_multiple_packets.pcapng"), null,
                new FlowTableOptions(), flows::add);
        List<PacketView> kept = flows.get(0).firstPackets();
        byte[] first = payload(kept.get(0));
        byte[] second = payload(kept.get(1));
        byte[] hello = QuicInitial.clientHello(first, second);
        assertThat(hello).isNotNull().hasSize(1578).isEqualTo(QuicInitial.clientHello(kept));
        // the first packet alone gives the hello's start
        byte[] start = QuicInitial.clientHello(first);
        assertThat(start).isNotEmpty().hasSizeLessThan(hello.length);
        assertThat(hello).startsWith(start);

        Random random = new Random(11);
        int read = 0;
        for (int i = 0; i < 3000; i++) {
            byte[][] datagrams = {first.clone(), second.clone()};
            int k = random.nextInt(2);
            if (random.nextInt(3) == 0) {
                datagrams[k] = Arrays.copyOf(datagrams[k], random.nextInt(datagrams[k].length + 1));
            } else {
                // mostly the header, where a change still leaves something to parse
                int at = random.nextInt(random.nextBoolean() ? 64 : datagrams[k].length);
                datagrams[k][at] = (byte) random.nextInt(256);
            }
            byte[] got = QuicInitial.clientHello(datagrams);
            if (got != null) {
                read++;
                assertThat(got[0]).isEqualTo((byte) 1);
                assertThat(hello).startsWith(got);
            }
        }
        assertThat(read).isPositive();
    }

    private static byte[] payload(PacketView p) {
        return Arrays.copyOfRange(p.array(), p.payloadOffset(), p.payloadOffset() + p.payloadLength());
    }

    /** An Ethernet/IPv4/UDP frame from 192.168.0.{@code src} to 192.168.0.{@code dst} carrying {@code payload}. */
    private static byte[] udpFrame(int src, int dst, int sport, int dport, byte[] payload) {
        int[] bytes = new int[payload.length];
        for (int i = 0; i < payload.length; i++) {
            bytes[i] = payload[i] & 0xff;
        }
        return new TestPackets().ethernet(0x0800).ipv4(17, 20 + 8 + payload.length, 7, src, dst)
                .udp(sport, dport, 8 + payload.length).bytes(bytes).build();
    }

    /** The server name of a ClientHello message (or its start), read by {@link TlsServerName} after a record header. */
    private static String serverName(byte[] hello) {
        if (hello == null) {
            return null;
        }
        byte[] record = new byte[5 + hello.length];
        record[0] = 0x16;
        record[1] = 3;
        record[2] = 1;
        record[3] = (byte) (hello.length >>> 8);
        record[4] = (byte) hello.length;
        System.arraycopy(hello, 0, record, 5, hello.length);
        return TlsServerName.serverName(record, record.length);
    }

    /** A ClientHello tshark decoded: its QUIC version, server name (empty without one) and body length (-1 unknown). */
    private record TsharkHello(String version, String name, int length) {
    }

    /** tshark's QUIC ClientHellos by the frame that completes them. */
    private static Map<Long, TsharkHello> tsharkHellos(Path capture) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tshark-quic", ".tsv");
        try {
            Process p = new ProcessBuilder("tshark", "-n", "-r", capture.toString(), "-Y",
                    "quic && tls.handshake.type == 1", "-T", "fields", "-E", "separator=/t", "-e", "frame.number",
                    "-e", "quic.version", "-e", "tls.handshake.extensions_server_name", "-e", "tls.handshake.length")
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tshark timed out on " + capture);
            }
            if (p.exitValue() != 0) {
                throw new IOException("tshark failed on " + capture);
            }
            Map<Long, TsharkHello> hellos = new HashMap<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                String[] v = line.split("\t", -1);
                if (v.length < 4) {
                    continue;
                }
                String length = v[3].split(",")[0];
                hellos.put(Long.parseLong(v[0]), new TsharkHello(v[1].split(",")[0],
                        v[2].split(",")[0].toLowerCase(java.util.Locale.ROOT),
                        length.isEmpty() ? -1 : Integer.parseInt(length)));
            }
            return hellos;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
