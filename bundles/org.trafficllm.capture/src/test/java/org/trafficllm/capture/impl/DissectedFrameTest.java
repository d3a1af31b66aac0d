package org.trafficllm.capture.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.Header;

class DissectedFrameTest {
    private final DissectedFrame frame = new DissectedFrame();

    private DissectedFrame dissect(byte[] bytes, int linkType) {
        return frame.dissect(bytes, 0, bytes.length, bytes.length, linkType, 1, 0);
    }

    private static byte[] ethernetTcp() {
        return TestFrames.frame().ethernet(0x0800).ipv4(6, 20 + 20 + 5, 0x4000)
                .tcp(43210, 80, 1000, 2000, 0x018).bytes('h', 'e', 'l', 'l', 'o').build();
    }

    @Test
    void ethernetIpv4Tcp() {
        DissectedFrame f = dissect(ethernetTcp(), LinkLayer.ETHERNET);
        assertThat(f.truncatedHeader()).isNull();
        assertThat(f.ethernetOffset()).isZero();
        assertThat(f.etherType()).isEqualTo(0x0800);
        assertThat(f.ipVersion()).isEqualTo(4);
        assertThat(f.networkOffset()).isEqualTo(14);
        assertThat(f.ipHeaderLength()).isEqualTo(20);
        assertThat(f.ipTotalLength()).isEqualTo(45);
        assertThat(f.ipProtocol()).isEqualTo(6);
        assertThat(AddressText.ip(f.array(), f.sourceAddressOffset(), 4)).isEqualTo("10.0.0.1");
        assertThat(AddressText.ip(f.array(), f.destinationAddressOffset(), 4)).isEqualTo("10.0.0.2");
        assertThat(f.isFragment()).isFalse();
        assertThat(f.transportOffset()).isEqualTo(34);
        assertThat(f.transportHeaderLength()).isEqualTo(20);
        assertThat(f.sourcePort()).isEqualTo(43210);
        assertThat(f.destinationPort()).isEqualTo(80);
        assertThat(f.tcpSequence()).isEqualTo(1000);
        assertThat(f.tcpAcknowledgement()).isEqualTo(2000);
        assertThat(f.tcpFlags()).isEqualTo(0x018);
        assertThat(f.payloadOffset()).isEqualTo(54);
        assertThat(f.payloadLength()).isEqualTo(5);
        assertThat(f.claimedPayloadLength()).isEqualTo(5);
        assertThat(f.summary().info).startsWith("[PSH,ACK] seq=1000 ack=2000 len=5");
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] bytes = TestFrames.frame().ethernet(0x0800).ipv4(6, 40, 0).tcp(1, 2, 0, 0, 0x010).zeros(6).build();
        DissectedFrame f = dissect(bytes, LinkLayer.ETHERNET);
        assertThat(f.payloadLength()).isZero();
        assertThat(f.captureLength()).isEqualTo(60);
    }

    @Test
    void snapLengthCutsPayloadButNotClaimedLength() {
        byte[] full = TestFrames.frame().ethernet(0x0800).ipv4(17, 20 + 8 + 100, 0).udp(53, 5353, 108).zeros(100).build();
        DissectedFrame f = frame.dissect(full, 0, 60, full.length, LinkLayer.ETHERNET, 1, 0);
        assertThat(f.truncatedHeader()).isNull();
        assertThat(f.payloadLength()).isEqualTo(60 - 42);
        assertThat(f.claimedPayloadLength()).isEqualTo(100);
        assertThat(f.originalLength()).isEqualTo(full.length);
    }

    @Test
    void vlanTagsAreWalked() {
        for (int tpid : new int[] {0x8100, 0x88a8, 0x9100}) {
            DissectedFrame f = dissect(qinq(tpid), LinkLayer.ETHERNET);
            assertThat(f.vlanCount()).as("tpid %04x", tpid).isEqualTo(2);
            assertThat(f.vlanId(0)).isEqualTo(10);
            assertThat(f.vlanId(1)).isEqualTo(20);
            assertThat(f.etherType()).isEqualTo(0x0800);
            assertThat(f.sourcePort()).isEqualTo(1000);
        }
    }

    private static byte[] qinq(int outerTpid) {
        return TestFrames.frame().ethernet(outerTpid).u16(0x2000 | 10).u16(0x8100).u16(20).u16(0x0800).ipv4(17, 28, 0)
                .udp(1000, 2000, 8).build();
    }

    @Test
    void ipv4FragmentsAreMarkedAndOnlyTheFirstHasPorts() {
        byte[] first = TestFrames.frame().ethernet(0x0800).ipv4(17, 20 + 8 + 16, 0x2000).udp(1, 2, 500).zeros(16).build();
        DissectedFrame f = dissect(first, LinkLayer.ETHERNET);
        assertThat(f.isFragment()).isTrue();
        assertThat(f.fragmentOffset()).isZero();
        assertThat(f.sourcePort()).isEqualTo(1);

        byte[] later = TestFrames.frame().ethernet(0x0800).ipv4(17, 20 + 24, 3).zeros(24).build();
        f = dissect(later, LinkLayer.ETHERNET);
        assertThat(f.isFragment()).isTrue();
        assertThat(f.fragmentOffset()).isEqualTo(24);
        assertThat(f.transportOffset()).isEqualTo(-1);
        assertThat(f.sourcePort()).isEqualTo(-1);
        assertThat(f.fragmentId()).isEqualTo(0x1234);
    }

    @Test
    void ipv6ExtensionHeadersLeadToTransport() {
        // hop-by-hop (8) -> routing (24) -> destination options (8) -> AH (16) -> fragment (8, offset 0, M) -> TCP
        TestFrames t = TestFrames.frame().ethernet(0x86dd).ipv6(0, 8 + 24 + 8 + 16 + 8 + 20);
        t.bytes(43, 0).zeros(6);
        t.bytes(60, 2, 0, 1).zeros(4).zeros(16);
        t.bytes(51, 0).zeros(6);
        t.bytes(44, 2).zeros(2).zeros(12);
        t.bytes(6, 0).u16(1).u32(0xabcdef01L);
        t.tcp(443, 5555, 7, 8, 0x002);
        DissectedFrame f = dissect(t.build(), LinkLayer.ETHERNET);
        assertThat(f.truncatedHeader()).isNull();
        assertThat(f.ipVersion()).isEqualTo(6);
        assertThat(f.ipProtocol()).isEqualTo(6);
        assertThat(f.isFragment()).isTrue();
        assertThat(f.fragmentOffset()).isZero();
        assertThat(f.fragmentId()).isEqualTo(0xabcdef01L);
        assertThat(f.transportOffset()).isEqualTo(14 + 40 + 64);
        assertThat(f.sourcePort()).isEqualTo(443);
        assertThat(f.tcpFlags()).isEqualTo(0x002);
        assertThat(AddressText.ip(f.array(), f.sourceAddressOffset(), 16)).isEqualTo("2001:db8::1");
    }

    @Test
    void ipv6LaterFragmentHasNoTransport() {
        TestFrames t = TestFrames.frame().ethernet(0x86dd).ipv6(44, 8 + 32);
        t.bytes(17, 0).u16(0x0100).u32(99).zeros(32);
        DissectedFrame f = dissect(t.build(), LinkLayer.ETHERNET);
        assertThat(f.isFragment()).isTrue();
        assertThat(f.fragmentOffset()).isEqualTo(0x100);
        assertThat(f.ipProtocol()).isEqualTo(17);
        assertThat(f.transportOffset()).isEqualTo(-1);
    }

    @Test
    void icmpAndIcmpv6() {
        byte[] icmp = TestFrames.frame().ethernet(0x0800).ipv4(1, 28, 0).bytes(8, 0).u16(0).u16(1).u16(2).build();
        DissectedFrame f = dissect(icmp, LinkLayer.ETHERNET);
        assertThat(f.icmpType()).isEqualTo(8);
        assertThat(f.icmpCode()).isZero();
        assertThat(f.sourcePort()).isEqualTo(-1);

        byte[] icmp6 = TestFrames.frame().ethernet(0x86dd).ipv6(58, 8).bytes(128, 0).u16(0).u32(5).build();
        f = dissect(icmp6, LinkLayer.ETHERNET);
        assertThat(f.ipProtocol()).isEqualTo(58);
        assertThat(f.icmpType()).isEqualTo(128);
        assertThat(f.summary().protocol).isEqualTo("ICMPv6");
    }

    @Test
    void everyLinkTypeReachesTheSameUdpHeader() {
        byte[] ip = TestFrames.frame().ipv4(17, 28, 0).udp(5353, 53, 8).build();
        byte[] ip6 = TestFrames.frame().ipv6(17, 8).udp(5353, 53, 8).build();
        assertUdp(concat(TestFrames.frame().ethernet(0x0800).build(), ip), LinkLayer.ETHERNET);
        assertUdp(ip, LinkLayer.RAW);
        assertUdp(ip, LinkLayer.RAW_12);
        assertUdp(ip6, LinkLayer.RAW);
        assertUdp(ip, LinkLayer.IPV4);
        assertUdp(ip6, LinkLayer.IPV6);
        // Linux cooked v1: packet type, ARPHRD, address length, 8 address bytes, protocol.
        assertUdp(concat(TestFrames.frame().u16(0).u16(1).u16(6).zeros(8).u16(0x0800).build(), ip), LinkLayer.LINUX_SLL);
        // Linux cooked v2: protocol, reserved, interface index, ARPHRD, packet type, address length, 8 address bytes.
        assertUdp(concat(TestFrames.frame().u16(0x86dd).u16(0).u32(2).u16(1).bytes(0, 6).zeros(8).build(), ip6),
                LinkLayer.LINUX_SLL2);
        // BSD NULL: the family in the capturing host's order (little- and big-endian), LOOP: network order.
        assertUdp(concat(TestFrames.frame().bytes(2, 0, 0, 0).build(), ip), LinkLayer.NULL);
        assertUdp(concat(TestFrames.frame().bytes(0, 0, 0, 2).build(), ip), LinkLayer.NULL);
        assertUdp(concat(TestFrames.frame().bytes(30, 0, 0, 0).build(), ip6), LinkLayer.NULL);
        assertUdp(concat(TestFrames.frame().bytes(0, 0, 0, 24).build(), ip6), LinkLayer.LOOP);
        assertUdp(concat(TestFrames.frame().bytes(0xff, 0x03, 0x00, 0x21).build(), ip), LinkLayer.PPP);
        assertUdp(concat(TestFrames.frame().bytes(0x0f, 0x00, 0x86, 0xdd).build(), ip6), LinkLayer.C_HDLC);
    }

    @Test
    void tunnelsAndShimsLeadToTheInnerPacket() {
        byte[] inner = TestFrames.frame().ipv6(17, 8).udp(5353, 53, 8).build();
        // IPv6 in IPv4 (protocol 41).
        byte[] sixInFour = concat(TestFrames.frame().ethernet(0x0800).ipv4(41, 20 + inner.length, 0).build(), inner);
        DissectedFrame f = dissect(sixInFour, LinkLayer.ETHERNET);
        assertThat(f.outerNetworkOffset()).isEqualTo(14);
        assertThat(f.networkOffset()).isEqualTo(34);
        assertThat(f.ipVersion()).isEqualTo(6);
        assertThat(f.etherType()).isEqualTo(0x0800);
        assertUdp(sixInFour, LinkLayer.ETHERNET);
        // GTP-U (UDP 2152) with a sequence number and one extension header.
        byte[] gtp = TestFrames.frame().bytes(0x36, 0xff).u16(4 + 4 + inner.length).u32(7).u16(1).bytes(0, 0x85)
                .bytes(1, 0, 0, 0).build();
        byte[] overGtp = concat(concat(TestFrames.frame().ethernet(0x0800).ipv4(17, 20 + 8 + gtp.length + inner.length, 0)
                .udp(2152, 2152, 8 + gtp.length + inner.length).build(), gtp), inner);
        f = dissect(overGtp, LinkLayer.ETHERNET);
        assertThat(f.networkOffset()).isEqualTo(14 + 20 + 8 + gtp.length);
        assertUdp(overGtp, LinkLayer.ETHERNET);
        // PPPoE session, MPLS with two labels, Cisco HDLC framing on a PPP link, PPI in front of Ethernet.
        byte[] ip = TestFrames.frame().ipv4(17, 28, 0).udp(5353, 53, 8).build();
        assertUdp(concat(TestFrames.frame().ethernet(0x8864).bytes(0x11, 0).u16(1).u16(30).u16(0x0021).build(), ip),
                LinkLayer.ETHERNET);
        assertUdp(concat(TestFrames.frame().ethernet(0x8847).u32(0x00010040).u32(0x00020140).build(), ip),
                LinkLayer.ETHERNET);
        assertUdp(concat(TestFrames.frame().bytes(0x0f, 0x00).u16(0x0800).build(), ip), LinkLayer.PPP);
        byte[] ethernet = concat(TestFrames.frame().ethernet(0x0800).build(), ip);
        assertUdp(concat(TestFrames.frame().bytes(0, 0, 8, 0, 1, 0, 0, 0).build(), ethernet), LinkLayer.PPI);
        assertThat(dissect(concat(TestFrames.frame().bytes(0, 0, 8, 0).build(), ethernet), LinkLayer.PPI)
                .truncatedHeader()).isNull();
        assertThat(dissect(new byte[] {0, 0, 8}, LinkLayer.PPI).truncatedHeader()).isEqualTo(Header.PPI);
    }

    private void assertUdp(byte[] bytes, int linkType) {
        DissectedFrame f = dissect(bytes, linkType);
        assertThat(f.truncatedHeader()).as("link type %d", linkType).isNull();
        assertThat(f.sourcePort()).as("link type %d", linkType).isEqualTo(5353);
        assertThat(f.destinationPort()).isEqualTo(53);
        assertThat(f.payloadLength()).isZero();
    }

    @Test
    void cuttingAFrameAnywhereNeverThrowsAndNamesTheHeader() {
        TestFrames v6 = TestFrames.frame().ethernet(0x8100).u16(7).u16(0x86dd).ipv6(0, 8 + 20);
        v6.bytes(6, 0).zeros(6).tcp(1, 2, 3, 4, 0x010);
        byte[] bytes = v6.build();
        for (int cut = 0; cut < bytes.length; cut++) {
            DissectedFrame f = frame.dissect(bytes, 0, cut, bytes.length, LinkLayer.ETHERNET, 1, 0);
            Header expected = cut < 14 ? Header.ETHERNET : cut < 18 ? Header.VLAN : cut < 58 ? Header.IPV6
                    : cut < 66 ? Header.IPV6_EXTENSION : Header.TCP;
            assertThat(f.truncatedHeader()).as("cut at %d", cut).isEqualTo(expected);
        }
        assertThat(dissect(bytes, LinkLayer.ETHERNET).truncatedHeader()).isNull();
    }

    @Test
    void garbageNeverThrows() {
        java.util.Random random = new java.util.Random(42);
        int[] linkTypes = {0, 1, 9, 12, 101, 104, 108, 113, 228, 229, 276};
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(120)];
            random.nextBytes(bytes);
            if (bytes.length > 14 && random.nextBoolean()) {
                bytes[12] = 0x08;
                bytes[13] = 0;
                bytes[14] = (byte) (0x40 | (bytes[14] & 0xf));
            }
            DissectedFrame f = dissect(bytes, linkTypes[i % linkTypes.length]);
            assertThat(f.payloadLength()).isBetween(0, bytes.length);
            if (f.payloadOffset() >= 0) {
                assertThat(f.payloadOffset() + f.payloadLength()).isLessThanOrEqualTo(bytes.length);
            }
            f.summary();
        }
    }

    @Test
    void detachCopiesTheBytes() {
        byte[] bytes = ethernetTcp();
        DissectedFrame f = dissect(bytes, LinkLayer.ETHERNET);
        var copy = f.detach();
        Arrays.fill(bytes, (byte) 0);
        assertThat(copy.sourcePort()).isEqualTo(43210);
        assertThat(copy.array()).isNotSameAs(bytes);
        assertThat(copy.payloadLength()).isEqualTo(5);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
