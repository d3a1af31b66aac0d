package org.trafficllm.eapeft.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.trafficllm.api.model.BaseModel;

/**
 * Reads a task bundle's requirement on its base model, for listings and for the
 * reason a bundle does not resolve: which requirement no installed bundle provides,
 * said in the project's words ({@code needs base model nano [1.0.0,2.0.0), installed:
 * llama-tiny 1.0.0}) rather than the resolver's.
 */
final class BaseModelRequirement {
    static final String EXTENDER_NAMESPACE = "osgi.extender";
    private static final Pattern NAME = Pattern.compile("\\(" + Pattern.quote(BaseModel.CAPABILITY_NAMESPACE) + "=([^)]*)\\)");
    private static final Pattern FLOOR = Pattern.compile("\\(version>=([^)]*)\\)");
    private static final Pattern CEILING = Pattern.compile("\\(!\\(version>=([^)]*)\\)\\)");

    private BaseModelRequirement() {
    }

    /** The base model a bundle requires, readable ({@code llama-tiny [1.0.0,2.0.0)}), or null when it requires none. */
    static String required(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return null;
        }
        for (BundleRequirement r : revision.getDeclaredRequirements(BaseModel.CAPABILITY_NAMESPACE)) {
            return readable(r.getDirectives().get("filter"));
        }
        return null;
    }

    /**
     * Why an installed bundle cannot resolve: the first base-model or extender
     * requirement no installed bundle provides; null when all are provided.
     */
    static String unresolved(BundleContext context, Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return null;
        }
        for (BundleRequirement r : revision.getDeclaredRequirements(null)) {
            String namespace = r.getNamespace();
            boolean base = namespace.equals(BaseModel.CAPABILITY_NAMESPACE);
            if (!base && !namespace.equals(EXTENDER_NAMESPACE)) {
                continue;
            }
            String filter = r.getDirectives().get("filter");
            if (filter != null && !providedBy(context, namespace, filter)) {
                return base ? "needs base model " + readable(filter) + ", installed: " + installedBaseModels(context)
                        : "needs the extender " + filter + ", which no installed bundle provides";
            }
        }
        return null;
    }

    private static boolean providedBy(BundleContext context, String namespace, String filterText) {
        Filter filter;
        try {
            filter = FrameworkUtil.createFilter(filterText);
        } catch (InvalidSyntaxException e) {
            return false;
        }
        for (Bundle b : context.getBundles()) {
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            for (BundleCapability c : revision.getDeclaredCapabilities(namespace)) {
                if (filter.matches(c.getAttributes())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Names and versions of the installed base-model bundles, or {@code none}. */
    static String installedBaseModels(BundleContext context) {
        List<String> names = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            for (BundleCapability c : revision.getDeclaredCapabilities(BaseModel.CAPABILITY_NAMESPACE)) {
                Map<String, Object> a = c.getAttributes();
                names.add(a.get(BaseModel.CAPABILITY_NAMESPACE) + " " + a.get("version"));
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** {@code name [floor,ceiling)} from a filter the packager wrote; the filter itself otherwise. */
    static String readable(String filter) {
        if (filter == null) {
            return "(any)";
        }
        Matcher name = NAME.matcher(filter);
        if (!name.find()) {
            return filter;
        }
        Matcher floor = FLOOR.matcher(filter);
        Matcher ceiling = CEILING.matcher(filter);
        String low = floor.find() ? floor.group(1) : "0.0.0";
        return name.group(1) + (ceiling.find() ? " [" + low + "," + ceiling.group(1) + ")" : " " + low + " or later");
    }
}
