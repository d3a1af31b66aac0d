package org.trafficllm.text.impl;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.capture.dto.FrameDTO;
import org.trafficllm.api.text.ComposeSession;
import org.trafficllm.api.text.PacketComposer;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.ComposeOptions;

/**
 * Builds frames from flow bytes ({@code <pck>}-separated hex of each frame's first
 * bytes). Each frame is what the hex holds, made consistent: IP and UDP lengths
 * describe the bytes present and checksums are recomputed. Flow bytes carry no
 * times: frames are 1 ms apart from the session's start time.
 */
@Component(service = PacketComposer.class)
@TrafficRendererService(name = TrafficRendererService.FLOW_BYTES)
public class FlowBytesComposer implements PacketComposer {
    private static final String SEPARATOR = "<pck>";

    @Override
    public ComposeSession open(ComposeOptions options) {
        long start = options == null ? 0 : options.startTimestampNanos;
        long[] next = {start};
        return text -> {
            List<FrameDTO> frames = compose(text, next[0]);
            next[0] += frames.size() * 1_000_000L;
            return frames;
        };
    }

    static List<FrameDTO> compose(CharSequence text, long startNanos) throws TextFormatException {
        String s = text.toString().trim();
        List<FrameDTO> frames = new ArrayList<>();
        int at = s.startsWith(SEPARATOR) ? SEPARATOR.length() : 0;
        while (at <= s.length()) {
            int end = s.indexOf(SEPARATOR, at);
            if (end < 0) {
                end = s.length();
            }
            if (end > at) {
                byte[] frame = hex(s, at, end);
                FrameRepair.repair(frame, frame.length);
                FrameDTO dto = new FrameDTO();
                dto.linkType = 1;
                dto.data = frame;
                dto.originalLength = frame.length;
                dto.timestampNanos = startNanos + frames.size() * 1_000_000L;
                frames.add(dto);
            }
            at = end + SEPARATOR.length();
        }
        if (frames.isEmpty()) {
            throw new TextFormatException("no packet in flow bytes", 0);
        }
        return frames;
    }

    private static byte[] hex(String s, int from, int to) throws TextFormatException {
        int length = (to - from) / 2;
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            int high = Character.digit(s.charAt(from + 2 * i), 16);
            int low = Character.digit(s.charAt(from + 2 * i + 1), 16);
            if (high < 0 || low < 0) {
                int at = from + 2 * i + (high < 0 ? 0 : 1);
                throw new TextFormatException("flow bytes: not hex at character " + at + ": '" + s.charAt(at) + "'", at);
            }
            bytes[i] = (byte) (high << 4 | low);
        }
        return bytes;
    }
}
