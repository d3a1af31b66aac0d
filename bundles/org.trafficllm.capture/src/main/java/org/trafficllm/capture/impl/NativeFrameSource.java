package org.trafficllm.capture.impl;

import java.lang.reflect.Field;

import org.pcap4j.core.PcapHandle;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Reads frames from an open pcap4j handle with {@code pcap_next_ex} called
 * directly, into one reused buffer.
 *
 * <p>pcap4j's own raw call allocates two native cells, a {@code Timestamp} and an
 * array per frame, and throws away a frame whose timestamp has a fraction of a
 * second out of range (damaged files have them; libpcap and tshark read them).
 * pcap4j still opens, filters and closes the handle; this class only takes the
 * handle's {@code pcap_t} pointer (a private field of pcap4j 1.8.2) and reads
 * through its own direct JNA mapping of the same library.
 */
final class NativeFrameSource {
    static final int FRAME = 1;
    static final int TIMEOUT = 0;
    static final int ERROR = -1;
    static final int END = -2;

    /** libpcap never hands out more than this for one frame; more means memory is not what we think. */
    private static final int MAX_CAPLEN = 16 * 1024 * 1024;
    private static final int SECONDS_SIZE = NativeLong.SIZE;
    private static final boolean WIDE_FRACTION = NativeLong.SIZE == 8 && !Platform.isMac();
    private static final int CAPLEN_OFFSET = 2 * NativeLong.SIZE;

    /** A JNA pointer whose address can be moved, so reading a frame creates no pointer objects. */
    private static final class MovablePointer extends Pointer {
        MovablePointer() {
            super(0);
        }

        void moveTo(long address) {
            peer = address;
        }
    }

    private static final class Calls {
        static {
            Native.register(Calls.class,
                    NativeLibrary.getInstance(System.getProperty(Libpcap.LIBRARY_PROPERTY, Platform.isWindows() ? "wpcap" : "pcap")));
        }

        static native int pcap_next_ex(Pointer pcap, Pointer header, Pointer data);

        static native String pcap_geterr(Pointer pcap);
    }

    private final Pointer pcap;
    private final boolean nanoPrecision;
    private final Memory cells = new Memory(2L * Native.POINTER_SIZE);
    private final Pointer headerCell = cells.share(0);
    private final Pointer dataCell = cells.share(Native.POINTER_SIZE);
    private final MovablePointer header = new MovablePointer();
    private final MovablePointer data = new MovablePointer();
    private byte[] buffer = new byte[65536];
    private int captureLength;
    private int wireLength;
    private long timestampNanos;

    NativeFrameSource(PcapHandle handle) {
        this.pcap = pcapPointer(handle);
        this.nanoPrecision = handle.getTimestampPrecision() == PcapHandle.TimestampPrecision.NANO;
    }

    private static Pointer pcapPointer(PcapHandle handle) {
        try {
            return (Pointer) HandleField.FIELD.get(handle);
        } catch (ReflectiveOperationException | ExceptionInInitializerError e) {
            throw new IllegalStateException("pcap4j " + PcapHandle.class.getPackage().getImplementationVersion()
                    + " does not keep its pcap_t where 1.8.2 did", e);
        }
    }

    /** pcap4j's private handle field, looked up once. */
    private static final class HandleField {
        static final Field FIELD;

        static {
            try {
                FIELD = PcapHandle.class.getDeclaredField("handle");
                FIELD.setAccessible(true);
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Reads the next frame: {@link #FRAME}, {@link #TIMEOUT}, {@link #ERROR} or {@link #END}. */
    int next() {
        int status = Calls.pcap_next_ex(pcap, headerCell, dataCell);
        if (status != 1) {
            return status == 0 ? TIMEOUT : status == -2 ? END : ERROR;
        }
        header.moveTo(Native.POINTER_SIZE == 8 ? cells.getLong(0) : cells.getInt(0));
        data.moveTo(Native.POINTER_SIZE == 8 ? cells.getLong(Native.POINTER_SIZE) : cells.getInt(Native.POINTER_SIZE));
        long seconds = SECONDS_SIZE == 8 ? header.getLong(0) : header.getInt(0);
        long fraction = WIDE_FRACTION ? header.getLong(8) : header.getInt(SECONDS_SIZE);
        timestampNanos = seconds * 1_000_000_000L + (nanoPrecision ? fraction : fraction * 1000L);
        int caplen = header.getInt(CAPLEN_OFFSET);
        wireLength = header.getInt(CAPLEN_OFFSET + 4);
        if (caplen < 0 || caplen > MAX_CAPLEN) {
            return ERROR;
        }
        if (caplen > buffer.length) {
            buffer = new byte[Math.max(caplen, buffer.length * 2)];
        }
        data.read(0, buffer, 0, caplen);
        captureLength = caplen;
        return FRAME;
    }

    /** libpcap's last error for this handle. */
    String error() {
        return Calls.pcap_geterr(pcap);
    }

    byte[] buffer() {
        return buffer;
    }

    int captureLength() {
        return captureLength;
    }

    /** Wire length as recorded; may be below the captured length in damaged files. */
    int wireLength() {
        return wireLength;
    }

    long timestampNanos() {
        return timestampNanos;
    }
}
