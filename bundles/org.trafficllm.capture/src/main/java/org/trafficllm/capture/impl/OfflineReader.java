package org.trafficllm.capture.impl;

import java.nio.file.Path;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.CaptureProgressListener;
import org.trafficllm.api.capture.PacketHandler;
import org.trafficllm.api.capture.dto.CaptureProgressDTO;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;
import org.trafficllm.api.capture.dto.ReadOptions;

/**
 * Reads one capture file through libpcap's offline reader (which opens pcap and
 * pcapng) with pcap4j's raw-bytes calls, dissecting each frame into one reused
 * {@link DissectedFrame}.
 */
final class OfflineReader {
    private static final int PROGRESS_CHECK_MASK = 4095;

    private final long progressIntervalNanos;

    OfflineReader(long progressIntervalMillis) {
        this.progressIntervalNanos = progressIntervalMillis * 1_000_000L;
    }

    CaptureSummaryDTO read(Path file, ReadOptions options, PacketHandler handler, CaptureProgressListener listener)
            throws CaptureException {
        long started = System.nanoTime();
        CaptureFileLayout layout = CaptureFileLayout.inspect(file);
        PcapHandle handle;
        try {
            handle = Libpcap.openOffline(file);
        } catch (PcapNativeException e) {
            throw new CaptureException(file + ": cannot open: " + Libpcap.message(e), 0, 0, e);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(OfflineReader.class.getClassLoader());
        try {
            CaptureSummaryDTO summary = new CaptureSummaryDTO();
            summary.source = file.toString();
            summary.format = layout.format() == CaptureFileLayout.Format.PCAP ? "pcap" : "pcapng";
            summary.linkType = handle.getDlt().value();
            summary.linkTypeName = LinkLayer.name(summary.linkType);
            if (!LinkLayer.isSupported(summary.linkType)) {
                throw new CaptureException(file + ": unsupported link type " + summary.linkType + " ("
                        + summary.linkTypeName + ")", 0, 0, null);
            }
            if (options != null && options.filter != null && !options.filter.isBlank()) {
                applyFilter(file, handle, options.filter);
            }
            long limit = options == null || options.maxPackets <= 0 ? Long.MAX_VALUE : options.maxPackets;
            loop(file, layout, handle, summary, limit, handler, listener, started);
            summary.elapsedNanos = System.nanoTime() - started;
            return summary;
        } catch (NotOpenException e) {
            throw new CaptureException(file + ": capture handle closed while reading", 0, e);
        } finally {
            handle.close();
            thread.setContextClassLoader(previous);
        }
    }

    private static void applyFilter(Path file, PcapHandle handle, String filter) throws CaptureException, NotOpenException {
        try {
            handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException e) {
            throw new CaptureException(file + ": invalid filter '" + filter + "': " + Libpcap.message(e), 0, e);
        }
    }

    private void loop(Path file, CaptureFileLayout layout, PcapHandle handle, CaptureSummaryDTO summary, long limit,
            PacketHandler handler, CaptureProgressListener listener, long started) throws CaptureException {
        DissectedFrame frame = new DissectedFrame();
        int linkType = summary.linkType;
        boolean pcapng = layout.format() == CaptureFileLayout.Format.PCAPNG;
        long bytesDone = pcapng ? 28 : 24;
        long lastReport = started;
        long packets = 0;
        NativeFrameSource source = new NativeFrameSource(handle);
        while (packets < limit) {
            int status = source.next();
            if (status == NativeFrameSource.END) {
                break;
            }
            if (status != NativeFrameSource.FRAME) {
                String message = status == NativeFrameSource.TIMEOUT ? "unexpected read timeout" : source.error();
                CaptureFileLayout.Damage damage = layout.locate(packets, message);
                throw new CaptureException(damage.message(), packets, damage.byteOffset(), null);
            }
            int caplen = source.captureLength();
            packets++;
            frame.dissect(source.buffer(), 0, caplen, source.wireLength(), linkType, packets, source.timestampNanos());
            CaptureTally.add(summary, frame);
            bytesDone += pcapng ? 32 + ((caplen + 3) & ~3) : 16 + caplen;
            handler.packet(frame);
            if (listener != null && (packets & PROGRESS_CHECK_MASK) == 0) {
                long now = System.nanoTime();
                if (now - lastReport >= progressIntervalNanos) {
                    lastReport = now;
                    listener.progress(progress(file, layout, bytesDone, packets, now - started));
                }
            }
        }
        if (listener != null) {
            listener.progress(progress(file, layout, layout.size(), packets, System.nanoTime() - started));
        }
    }

    private static CaptureProgressDTO progress(Path file, CaptureFileLayout layout, long bytesDone, long packets,
            long elapsed) {
        CaptureProgressDTO p = new CaptureProgressDTO();
        p.source = file.toString();
        p.bytesTotal = layout.size();
        p.bytesDone = Math.min(bytesDone, p.bytesTotal);
        p.packets = packets;
        p.packetsPerSecond = elapsed > 0 ? packets * 1e9 / elapsed : 0;
        p.etaNanos = p.bytesDone > 0 ? (long) ((double) elapsed * (p.bytesTotal - p.bytesDone) / p.bytesDone) : -1;
        return p;
    }
}
