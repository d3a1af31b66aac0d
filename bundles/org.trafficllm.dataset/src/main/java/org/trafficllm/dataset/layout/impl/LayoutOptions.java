package org.trafficllm.dataset.layout.impl;

import java.util.List;

import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.LayoutContext;

/** Layout options the built-in layouts share. */
final class LayoutOptions {
    /** The option that chooses what stays together across the split. */
    static final String GROUP = "group";

    private LayoutOptions() {
    }

    /**
     * The value of option {@code group}, one of {@code kinds} (the first is the default);
     * another value stops the build: {@code option group=page: expected flow or capture}.
     */
    static String group(LayoutContext context, String... kinds) throws DatasetException {
        String group = context.options().getOrDefault(GROUP, kinds[0]).trim();
        if (!List.of(kinds).contains(group)) {
            throw new DatasetException("option " + GROUP + "=" + group + ": expected "
                    + String.join(", ", List.of(kinds).subList(0, kinds.length - 1)) + " or " + kinds[kinds.length - 1]);
        }
        return group;
    }
}
