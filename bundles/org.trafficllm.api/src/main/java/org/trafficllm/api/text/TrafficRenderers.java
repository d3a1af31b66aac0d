package org.trafficllm.api.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up text formats among renderer (or composer) services a component has bound
 * with their service properties, as Declarative Services hands them to a field of
 * type {@code List<Map.Entry<Map<String, Object>, S>>} ({@code collectionType =
 * TUPLE}): a plugin that registers a renderer under a new {@link TrafficRendererService}
 * name becomes usable by that name without a change to the consumer.
 */
public final class TrafficRenderers {
    private TrafficRenderers() {
    }

    /** The first bound service whose {@value TrafficRendererService#NAME} property is {@code name}. */
    public static <S> Optional<S> named(List<? extends Map.Entry<Map<String, Object>, S>> bound, String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Map.Entry<Map<String, Object>, S> entry : bound) {
            if (name.equals(entry.getKey().get(TrafficRendererService.NAME))) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** The format names of the bound services, in binding order, each once. */
    public static <S> List<String> names(List<? extends Map.Entry<Map<String, Object>, S>> bound) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<Map<String, Object>, S> entry : bound) {
            Object name = entry.getKey().get(TrafficRendererService.NAME);
            if (name != null && !names.contains(name.toString())) {
                names.add(name.toString());
            }
        }
        return names;
    }
}
