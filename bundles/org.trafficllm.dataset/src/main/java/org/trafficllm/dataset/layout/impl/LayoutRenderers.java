package org.trafficllm.dataset.layout.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.text.TrafficRenderers;

/** How a layout settles the renderer a build asks for among its default and the renderers installed. */
final class LayoutRenderers {
    private LayoutRenderers() {
    }

    /** The names a build may ask for: the layout's default first, then each bound one once. */
    private static <S> List<String> installed(String own, List<? extends Map.Entry<Map<String, Object>, S>> bound) {
        List<String> names = new ArrayList<>();
        names.add(own);
        for (String name : TrafficRenderers.names(bound)) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The requested renderer when it is installed, else a message naming what is.
     *
     * @param own the layout's default
     * @param bound the renderers bound now, with their service properties
     * @param samples what the samples are, for the message: "packet samples of captures"
     */
    static <S> String choose(String requested, String own, List<? extends Map.Entry<Map<String, Object>, S>> bound,
            String samples) throws DatasetException {
        if (requested == null) {
            return own;
        }
        List<String> installed = installed(own, bound);
        if (installed.contains(requested)) {
            return requested;
        }
        int last = installed.size() - 1;
        throw new DatasetException("renderer '" + requested + "' is not available for " + samples + "; use "
                + (last == 0 ? installed.get(0)
                        : String.join(", ", installed.subList(0, last)) + " or " + installed.get(last)));
    }

    /**
     * The renderer a build asked for ({@link #choose} has accepted the name): the layout's
     * default, held by a mandatory reference, or the bound one of that name.
     */
    static <S> S resolve(String name, String own, S ownRenderer, List<Map.Entry<Map<String, Object>, S>> bound)
            throws DatasetException {
        if (name == null || name.equals(own)) {
            return ownRenderer;
        }
        return TrafficRenderers.named(bound, name).orElseThrow(() -> new DatasetException("renderer '" + name
                + "' was uninstalled while the build was starting"));
    }
}
