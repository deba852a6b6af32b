package io.edgefleet.console.fleet;

import io.edgefleet.sdk.model.ApplianceView;

import java.util.List;
import java.util.Locale;

/**
 * One appliances page: the filters as the operator set them, the appliances that match, and a problem with a filter
 * (the service names it) instead of the list.
 *
 * @param truncated more appliances match than the console reads for one page ({@link #MAX_READ})
 */
public record ApplianceListing(
        String status,
        String tag,
        String query,
        List<ApplianceView> items,
        long total,
        boolean truncated,
        String filterError) {

    /** The console searches at most this many appliances (the status and tag filters run in appliance-service). */
    public static final int MAX_READ = 1000;

    /** The appliances among {@code candidates} whose uid or name contains {@code query} (case-insensitive). */
    public static List<ApplianceView> search(List<ApplianceView> candidates, String query) {
        if (query == null || query.isBlank()) {
            return candidates;
        }
        String q = query.strip().toLowerCase(Locale.ROOT);
        return candidates.stream()
                .filter(a -> contains(a.getUid(), q) || contains(a.getName(), q))
                .toList();
    }

    private static boolean contains(String text, String q) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(q);
    }
}
