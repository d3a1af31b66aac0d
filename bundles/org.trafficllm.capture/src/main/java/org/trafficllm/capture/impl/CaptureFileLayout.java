package org.trafficllm.capture.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.trafficllm.api.capture.CaptureException;

/**
 * The framing of a capture file (pcap records or pcapng blocks), read in plain
 * Java. It checks a file before libpcap opens it and, when libpcap stops early,
 * walks the framing to the failing packet to say where and how the file is damaged.
 */
final class CaptureFileLayout {
    /** libpcap refuses records above this many bytes for ordinary link types. */
    private static final long MAX_RECORD = 262_144;
    /** libpcap's upper bound on one pcapng block. */
    private static final long MAX_BLOCK = 16L * 1024 * 1024;

    enum Format { PCAP, PCAPNG }

    /** Where a failing packet starts and what is wrong there. */
    record Damage(String message, long byteOffset) {
    }

    private final Path file;
    private final Format format;
    private final long size;
    private final ByteOrder order;

    private CaptureFileLayout(Path file, Format format, long size, ByteOrder order) {
        this.file = file;
        this.format = format;
        this.size = size;
        this.order = order;
    }

    Format format() {
        return format;
    }

    long size() {
        return size;
    }

    /** Checks that {@code file} exists, is readable and starts like a pcap or pcapng file. */
    static CaptureFileLayout inspect(Path file) throws CaptureException {
        if (Files.isDirectory(file)) {
            throw new CaptureException(file + ": is a directory, not a capture file", 0);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new CaptureException(file + ": empty file (0 bytes)", 0, 0, null);
            }
            ByteBuffer head = ByteBuffer.allocate(4);
            readFully(ch, head, 0);
            if (head.position() < 4) {
                throw new CaptureException(file + ": too short for a capture header (" + size + " bytes)", 0, 0, null);
            }
            int magic = head.getInt(0);
            switch (magic) {
                case 0xa1b2c3d4, 0xa1b23c4d:
                    return new CaptureFileLayout(file, Format.PCAP, size, ByteOrder.BIG_ENDIAN);
                case 0xd4c3b2a1, 0x4d3cb2a1:
                    return new CaptureFileLayout(file, Format.PCAP, size, ByteOrder.LITTLE_ENDIAN);
                case 0x0a0d0d0a:
                    return new CaptureFileLayout(file, Format.PCAPNG, size, ByteOrder.BIG_ENDIAN);
                default:
                    if ((magic >>> 16) == 0x1f8b) {
                        throw new CaptureException(file + ": gzip-compressed; decompress it first", 0, 0, null);
                    }
                    throw new CaptureException(String.format("%s: not a pcap or pcapng file (starts with 0x%08x)",
                            file, magic), 0, 0, null);
            }
        } catch (NoSuchFileException e) {
            throw new CaptureException(file + ": no such file", 0, e);
        } catch (AccessDeniedException e) {
            throw new CaptureException(file + ": permission denied", 0, e);
        } catch (CaptureException e) {
            throw e;
        } catch (IOException e) {
            throw new CaptureException(file + ": cannot read: " + oneLine(e.getMessage()), 0, e);
        }
    }

    /**
     * Walks the framing to packet {@code index} (0-based) and says what is wrong
     * with it; {@code libpcapMessage} is used when the framing itself looks sound.
     */
    Damage locate(long index, String libpcapMessage) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return format == Format.PCAP ? locatePcap(ch, index, libpcapMessage) : locatePcapng(ch, index, libpcapMessage);
        } catch (IOException e) {
            return new Damage(file + ": packet " + (index + 1) + ": " + oneLine(libpcapMessage), -1);
        }
    }

    private Damage locatePcap(FileChannel ch, long index, String libpcapMessage) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16).order(order);
        long pos = 24;
        if (size < 24) {
            return new Damage(file + ": truncated file header at byte 0: " + size + " of 24 bytes", 0);
        }
        for (long i = 0; ; i++) {
            long number = i + 1;
            if (pos >= size) {
                return new Damage(file + ": " + oneLine(libpcapMessage) + " at byte " + pos + " (packet " + number + ")", pos);
            }
            if (size - pos < 16) {
                return new Damage(file + ": truncated record header at byte " + pos + " (packet " + number + "): "
                        + (size - pos) + " of 16 bytes", pos);
            }
            readFully(ch, header, pos);
            long included = header.getInt(8) & 0xffffffffL;
            if (included > MAX_RECORD && i >= index) {
                return new Damage(file + ": invalid record length " + included + " at byte " + pos + " (packet "
                        + number + ")", pos);
            }
            if (size - pos - 16 < included) {
                return new Damage(file + ": truncated record at byte " + pos + " (packet " + number + "): "
                        + (size - pos - 16) + " of " + included + " bytes", pos);
            }
            if (i >= index) {
                return new Damage(file + ": " + oneLine(libpcapMessage) + " at byte " + pos + " (packet " + number + ")", pos);
            }
            pos += 16 + included;
        }
    }

    private Damage locatePcapng(FileChannel ch, long index, String libpcapMessage) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12);
        ByteOrder blockOrder = ByteOrder.BIG_ENDIAN;
        long pos = 0;
        long packets = 0;
        while (true) {
            long number = packets + 1;
            if (pos >= size) {
                return new Damage(file + ": " + oneLine(libpcapMessage) + " at byte " + pos + " (packet " + number + ")", pos);
            }
            if (size - pos < 12) {
                return new Damage(file + ": truncated block header at byte " + pos + " (packet " + number + "): "
                        + (size - pos) + " of 12 bytes", pos);
            }
            readFully(ch, header, pos);
            int type = header.order(ByteOrder.BIG_ENDIAN).getInt(0);
            if (type == 0x0a0d0d0a) {
                int magic = header.getInt(8);
                blockOrder = magic == 0x1a2b3c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            }
            header.order(blockOrder);
            type = header.getInt(0);
            long length = header.getInt(4) & 0xffffffffL;
            if (length < 12 || length % 4 != 0 || length > MAX_BLOCK) {
                return new Damage(file + ": invalid block length " + length + " at byte " + pos + " (packet " + number
                        + ")", pos);
            }
            if (size - pos < length) {
                return new Damage(file + ": truncated block at byte " + pos + " (packet " + number + "): "
                        + (size - pos) + " of " + length + " bytes", pos);
            }
            boolean packet = type == 6 || type == 3 || type == 2;
            if (packet && packets >= index) {
                return new Damage(file + ": " + oneLine(libpcapMessage) + " at byte " + pos + " (packet " + number + ")", pos);
            }
            if (packet) {
                packets++;
            }
            pos += length;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        buffer.clear();
        long p = position;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, p);
            if (n < 0) {
                break;
            }
            p += n;
        }
    }

    static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
