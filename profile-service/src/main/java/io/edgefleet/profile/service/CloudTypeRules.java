package io.edgefleet.profile.service;

import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.events.payload.ProfileLayer;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.values.Values;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.values.YamlException;

import java.util.List;

/**
 * What a profile's cloud type needs of its layers. A virtualized cluster's nodes boot from a base image volume in the
 * appliance's image pool, named by the OS layer's {@value #VM_IMAGE}: without it no node can be made, and cluster-service
 * would only say so when a cluster is created, so the profile is refused at once.
 */
public final class CloudTypeRules {

    public static final String VM_IMAGE = "pack.vmImage";

    private CloudTypeRules() {}

    /** @param layers the resolved layers (null where one could not be resolved: reported already) */
    public static void check(CloudType cloudType, List<ProfileLayer> layers, Validator v) {
        if (cloudType != CloudType.VIRTUALIZED) {
            return;
        }
        for (ProfileLayer layer : layers) {
            if (layer == null || layer.layer() != PackLayer.OS) {
                continue;
            }
            Object image;
            try {
                image = layer.mergedValues() == null ? null : Values.at(Yaml.mapping(layer.mergedValues()), VM_IMAGE);
            } catch (YamlException e) {
                return; // the values were checked when they were merged
            }
            v.require(
                    image instanceof String s && !s.isBlank(),
                    "layers[" + layer.index() + "].values",
                    "virtualized profiles need " + VM_IMAGE + " in the OS layer: the base image volume the nodes"
                            + " boot from, in each appliance's image pool (e.g. \"pack:\\n  vmImage: debian-12.qcow2\")");
            return;
        }
    }
}
