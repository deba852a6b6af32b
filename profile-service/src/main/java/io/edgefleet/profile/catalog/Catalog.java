package io.edgefleet.profile.catalog;

import java.util.List;

/**
 * What a registry offers.
 *
 * @param skipped entries of a Helm index that cannot be used (library charts, versions that are not
 *                semantic versions), with the reason; real-world indexes have a few of these
 */
public record Catalog(List<CatalogPack> packs, List<String> skipped) {

    public int releaseCount() {
        return packs.stream().mapToInt(p -> p.releases().size()).sum();
    }
}
