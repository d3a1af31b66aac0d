package org.trafficllm.api.text;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.capture.dto.FrameDTO;

/** Composes frames from texts, in order. Not thread safe. */
@ConsumerType
public interface ComposeSession {

    /**
     * The frames one text describes: one for a packet format, up to the kept packet
     * count for a flow format.
     *
     * @throws TextFormatException naming the field and character position when the
     *         text cannot be read as this format
     */
    List<FrameDTO> compose(CharSequence text) throws TextFormatException;
}
