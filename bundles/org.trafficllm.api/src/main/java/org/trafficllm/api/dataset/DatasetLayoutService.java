package org.trafficllm.api.dataset;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Marks a Declarative Services component as a {@link DatasetLayout} plugin and names
 * it, e.g. {@code @DatasetLayoutService(name = "csic-2010", datasets = "csic-2010")}.
 * The builder picks a layout by {@link #name()} or, when a request names none, by
 * the request's dataset name among {@link #datasets()}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DatasetLayoutService {
    /** Prefix of the service properties this annotation sets. */
    String PREFIX_ = "dataset.layout.";

    /** The service property that holds {@link #name()}. */
    String NAME_PROPERTY = "dataset.layout.name";

    /** The service property that holds {@link #datasets()}. */
    String DATASETS_PROPERTY = "dataset.layout.datasets";

    /** The layout's name, unique among layouts (service property {@code dataset.layout.name}). */
    String name();

    /** Dataset names this layout reads when a request names no layout ({@code dataset.layout.datasets}). */
    String[] datasets() default {};
}
