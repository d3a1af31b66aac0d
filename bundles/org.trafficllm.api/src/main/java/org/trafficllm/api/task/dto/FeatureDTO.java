package org.trafficllm.api.task.dto;

import java.util.List;

import org.osgi.dto.DTO;

/** One OSGi Feature Model descriptor the runtime ships. */
public class FeatureDTO extends DTO {
    /** Short name: the descriptor's file name without {@code .json}, e.g. {@code task-mtd}. */
    public String name;
    /** Feature id, Maven coordinates {@code group:artifact:osgifeature:version}. */
    public String id;
    public String title;
    public String description;
    /** Bundle ids ({@code group:artifact:version}) in descriptor order. */
    public List<String> bundles;
    /** Bundle ids whose jar the repository lacks. */
    public List<String> missing;
    /** True when a bundle of every listed id is installed. */
    public boolean installed;
}
