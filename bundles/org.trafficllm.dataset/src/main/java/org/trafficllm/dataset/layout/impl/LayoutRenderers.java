package org.trafficllm.dataset.layout.impl;

import java.util.ArrayList;
import java.util.List;

import org.trafficllm.api.dataset.DatasetException;

/** How a layout settles the renderer a build asks for among its default and the renderers installed. */
final class LayoutRenderers {
    private LayoutRenderers() {
    }

    /** The names a build may ask for: the layout's default first, then each installed one once. */
    static List<String> installed(String own, List<String> bound) {
        List<String> names = new ArrayList<>();
        names.add(own);
        for (String name : bound) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The requested renderer when it is installed, else a message naming what is.
     *
     * @param samples what the samples are, for the message: "packet samples of captures"
     */
    static String choose(String requested, List<String> installed, String samples) throws DatasetException {
        if (requested == null) {
            return installed.get(0);
        }
        if (installed.contains(requested)) {
            return requested;
        }
        int last = installed.size() - 1;
        throw new DatasetException("renderer '" + requested + "' is not available for " + samples + "; use "
                + (last == 0 ? installed.get(0)
                        : String.join(", ", installed.subList(0, last)) + " or " + installed.get(last)));
    }

    static DatasetException uninstalled(String name) {
        return new DatasetException("renderer '" + name + "' was uninstalled while the build was starting");
    }
}
