package org.trafficllm.capture.impl;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.PcapWriter;
import org.trafficllm.api.capture.dto.FrameDTO;

/**
 * Writes classic pcap (little-endian, microsecond timestamps, version 2.4) in plain
 * Java: the format is a 24-byte header and a 16-byte header per record, so a
 * native call per frame would buy nothing, and the original length of a cut
 * frame is kept exactly. A frame counts as written once its header and bytes
 * went to the buffered stream; {@link #close()} flushes them to disk.
 */
final class PcapFileWriter implements PcapWriter {
    private final Path file;
    private final int linkType;
    private final int snapLength;
    private final OutputStream out;
    private final byte[] recordHeader = new byte[16];
    private long packets;
    private boolean closed;

    private PcapFileWriter(Path file, int linkType, int snapLength, OutputStream out) {
        this.file = file;
        this.linkType = linkType;
        this.snapLength = snapLength;
        this.out = out;
    }

    static PcapFileWriter create(Path file, int linkType, int snapLength) throws CaptureException {
        if (snapLength <= 0) {
            throw new CaptureException(file + ": snap length must be positive, not " + snapLength, 0);
        }
        OutputStream out = null;
        try {
            out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            byte[] header = new byte[24];
            putInt(header, 0, 0xa1b2c3d4);
            putShort(header, 4, 2);
            putShort(header, 6, 4);
            putInt(header, 16, snapLength);
            putInt(header, 20, linkType);
            out.write(header);
            return new PcapFileWriter(file, linkType, snapLength, out);
        } catch (IOException e) {
            closeQuietly(out);
            throw new CaptureException(file + ": cannot create: " + CaptureFileLayout.oneLine(e.toString()), 0, e);
        }
    }

    @Override
    public void write(long timestampNanos, byte[] data, int offset, int length, int originalLength)
            throws CaptureException {
        if (closed) {
            throw new CaptureException(file + ": writer is closed (packet " + (packets + 1) + ")", packets);
        }
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new CaptureException(file + ": packet " + (packets + 1) + ": bytes " + offset + ".." + (offset + length)
                    + " outside an array of " + data.length, packets);
        }
        int included = Math.min(length, snapLength);
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long micros = Math.floorMod(timestampNanos, 1_000_000_000L) / 1000;
        putInt(recordHeader, 0, (int) seconds);
        putInt(recordHeader, 4, (int) micros);
        putInt(recordHeader, 8, included);
        putInt(recordHeader, 12, Math.max(originalLength, length));
        try {
            out.write(recordHeader);
            out.write(data, offset, included);
            packets++;
        } catch (IOException e) {
            throw new CaptureException(file + ": cannot write packet " + (packets + 1) + ": "
                    + CaptureFileLayout.oneLine(e.toString()), packets, e);
        }
    }

    @Override
    public void write(FrameDTO frame) throws CaptureException {
        if (frame.linkType != linkType) {
            throw new CaptureException(file + ": packet " + (packets + 1) + " has link type " + frame.linkType
                    + ", the file " + linkType, packets);
        }
        write(frame.timestampNanos, frame.data, 0, frame.data.length, frame.originalLength);
    }

    @Override
    public void write(PacketView packet) throws CaptureException {
        if (packet.linkType() != linkType) {
            throw new CaptureException(file + ": packet " + (packets + 1) + " has link type " + packet.linkType()
                    + ", the file " + linkType, packets);
        }
        write(packet.timestampNanos(), packet.array(), packet.offset(), packet.captureLength(), packet.originalLength());
    }

    @Override
    public long packetsWritten() {
        return packets;
    }

    @Override
    public void close() throws CaptureException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new CaptureException(file + ": cannot finish writing after " + packets + " packets: "
                    + CaptureFileLayout.oneLine(e.toString()), packets, e);
        }
    }

    private static void closeQuietly(OutputStream out) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // The creation error is the one worth reporting.
            }
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }
}
