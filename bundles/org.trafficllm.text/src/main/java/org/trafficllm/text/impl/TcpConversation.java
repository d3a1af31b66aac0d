package org.trafficllm.text.impl;

/**
 * What tshark's TCP analysis remembers about one stream, per direction: the base
 * for relative sequence numbers, the window scale, the highest sequence sent, the
 * last acknowledgement and the bytes since the last PSH.
 */
final class TcpConversation {
    /** Window scale not known: no SYN seen. */
    static final int SCALE_UNKNOWN = -1;
    /** SYN seen, but window scaling not in use. */
    static final int SCALE_NONE = -2;

    static final class Direction {
        boolean baseSet;
        long base;
        boolean synSeen;
        long initialSequence;
        int windowScale = SCALE_UNKNOWN;
        boolean sent;
        long highestNext;
        boolean acked;
        long lastAck;
        long pushBytes;
        boolean analysisValid = true;
        long tlsNextSequence = -1;
        long tlsRemaining;
    }

    final int stream;
    final Direction low = new Direction();
    final Direction high = new Direction();
    final long firstNanos;
    long lastNanos;

    TcpConversation(int stream, long firstNanos) {
        this.stream = stream;
        this.firstNanos = firstNanos;
        this.lastNanos = firstNanos;
    }
}
