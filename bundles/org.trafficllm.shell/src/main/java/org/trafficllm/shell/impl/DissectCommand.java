package org.trafficllm.shell.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.dto.DTO;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.FlowService;
import org.trafficllm.api.capture.dto.FlowDTO;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.capture.dto.PacketSummaryDTO;
import org.trafficllm.api.capture.dto.ReadOptions;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * {@code tllm:dissect}: a capture's packets or flows as a table, or its packets as
 * the traffic-words text the models read.
 */
@Component(service = DissectCommand.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=dissect" })
public class DissectCommand {

    /** One row of the packet table. */
    public static class PacketRow extends DTO {
        public long no;
        public String time;
        public String proto;
        public String source;
        public String destination;
        public int length;
        public String info;
    }

    /** One row of the flow table. */
    public static class FlowRow extends DTO {
        public long flow;
        public String proto;
        public String client;
        public String server;
        public long packets;
        public long bytes;
        public String seconds;
        public String end;
    }

    private final CaptureService captures;
    private final FlowService flows;
    private final PacketRenderer trafficWords;

    @Activate
    public DissectCommand(@Reference CaptureService captures, @Reference FlowService flows,
            @Reference(target = "(trafficllm.renderer.name=traffic-words)") PacketRenderer trafficWords) {
        this.captures = captures;
        this.flows = flows;
        this.trafficWords = trafficWords;
    }

    @Descriptor("list a capture's packets (default), its flows, or its packets as traffic words")
    public Object dissect(
            @Descriptor("one row per bidirectional flow instead of per packet")
            @Parameter(names = { "--flows", "-f" }, absentValue = "false", presentValue = "true") boolean byFlow,
            @Descriptor("print each packet as TrafficLLM's traffic words, the text the models read")
            @Parameter(names = { "--words", "-w" }, absentValue = "false", presentValue = "true") boolean words,
            @Descriptor("with --words: replace MAC and IP addresses, ports and times by placeholders")
            @Parameter(names = { "--mask", "-m" }, absentValue = "false", presentValue = "true") boolean mask,
            @Descriptor("BPF filter (tcpdump syntax)")
            @Parameter(names = { "--filter" }, absentValue = "") String filter,
            @Descriptor("read at most this many packets, 0 for all")
            @Parameter(names = { "--limit", "-n" }, absentValue = "0") long limit,
            @Descriptor("capture file (pcap or pcapng)") String capture) throws Exception {
        Path file = Path.of(capture);
        ReadOptions read = new ReadOptions();
        read.filter = filter.isBlank() ? null : filter;
        read.maxPackets = limit;
        if (byFlow) {
            List<FlowRow> rows = new ArrayList<>();
            try {
                flows.readFlows(file, read, new FlowTableOptions(), flow -> rows.add(flowRow(flow.toDTO())));
            } catch (CaptureException e) {
                throw partial(rows, e, "flows");
            }
            rows.sort((a, b) -> Long.compare(a.flow, b.flow));
            return rows.isEmpty() ? "no flows" : rows;
        }
        if (words) {
            RenderOptions options = new RenderOptions();
            if (mask) {
                options.mask = EnumSet.allOf(MaskedIdentifier.class);
            }
            PacketRenderSession session = trafficWords.open(options);
            StringBuilder text = new StringBuilder();
            StringBuilder line = new StringBuilder();
            try {
                captures.read(file, read, packet -> {
                    line.setLength(0);
                    if (session.render(packet, line)) {
                        text.append(line).append('\n');
                    }
                }, null);
            } catch (CaptureException e) {
                System.out.print(text);
                throw e;
            }
            return text.length() == 0 ? "no TCP or UDP packets" : text.toString().stripTrailing();
        }
        List<PacketRow> rows = new ArrayList<>();
        long[] first = { -1 };
        try {
            captures.read(file, read, packet -> rows.add(packetRow(packet.summary(), first)), null);
        } catch (CaptureException e) {
            throw partial(rows, e, "packets");
        }
        return rows.isEmpty() ? "no packets" : rows;
    }

    /** Prints what was read before the damage, then reports the damage. */
    private static CaptureException partial(List<? extends DTO> rows, CaptureException e, String what) {
        if (rows.isEmpty()) {
            return e;
        }
        System.out.println(DtoConverter.table(rows, ""));
        return new CaptureException(e.getMessage() + " (" + rows.size() + " " + what + " listed before it)", e.packetsRead(), e);
    }

    static PacketRow packetRow(PacketSummaryDTO p, long[] firstTimestamp) {
        if (firstTimestamp[0] < 0) {
            firstTimestamp[0] = p.timestampNanos;
        }
        PacketRow row = new PacketRow();
        row.no = p.number;
        row.time = String.format("%.6f", (p.timestampNanos - firstTimestamp[0]) / 1e9);
        row.proto = p.protocol;
        row.source = endpoint(p.source, p.sourcePort);
        row.destination = endpoint(p.destination, p.destinationPort);
        row.length = p.originalLength;
        row.info = p.truncatedHeader == null ? p.info : join(p.info, "truncated " + p.truncatedHeader);
        return row;
    }

    static FlowRow flowRow(FlowDTO f) {
        FlowRow row = new FlowRow();
        row.flow = f.id;
        row.proto = f.protocolName;
        row.client = endpoint(f.key.clientAddress, f.key.clientPort == 0 ? -1 : f.key.clientPort);
        row.server = endpoint(f.key.serverAddress, f.key.serverPort == 0 ? -1 : f.key.serverPort);
        row.packets = f.packets;
        row.bytes = f.bytes;
        row.seconds = String.format("%.3f", (f.lastTimestampNanos - f.firstTimestampNanos) / 1e9);
        row.end = f.end;
        return row;
    }

    private static String endpoint(String address, int port) {
        if (address == null) {
            return "";
        }
        if (port < 0) {
            return address;
        }
        return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
    }

    private static String join(String a, String b) {
        return a == null || a.isEmpty() ? b : a + ", " + b;
    }
}
