package org.trafficllm.api.capture;

/** Why a flow was ended. */
public enum FlowEnd {
    /** Both sides of a TCP connection sent FIN. */
    TCP_CLOSE,
    /** A TCP segment carried RST. */
    TCP_RESET,
    /** No packet for longer than the idle timeout. */
    IDLE_TIMEOUT,
    /** The capture ended, or the table was flushed, while the flow was still open. */
    END_OF_CAPTURE,
    /** The table was full and this was its least recently seen flow. */
    EVICTED
}
