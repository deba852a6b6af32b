package io.edgefleet.profile.version;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A version filter for pack searches: a release ({@code 1.28.4}), a train ({@code 1.28.x}), or
 * comparisons joined by spaces or commas ({@code >=1.27.0 <1.30}), all of which must hold.
 */
public final class VersionRange {

    public static final String HINT =
            "must be a version (1.28.4), a train (1.28.x) or comparisons like '>=1.27.0 <1.30.0'";

    private final List<Predicate<SemVer>> constraints;

    private VersionRange(List<Predicate<SemVer>> constraints) {
        this.constraints = constraints;
    }

    /** @throws IllegalArgumentException with {@link #HINT} */
    public static VersionRange parse(String text) {
        List<Predicate<SemVer>> constraints = new ArrayList<>();
        for (String part : text.trim().split("[\\s,]+")) {
            if (part.isEmpty()) {
                continue;
            }
            String op = part.startsWith(">=") || part.startsWith("<=")
                    ? part.substring(0, 2)
                    : part.startsWith(">") || part.startsWith("<") || part.startsWith("=") ? part.substring(0, 1) : "";
            String version = part.substring(op.length());
            if (op.isEmpty()) {
                try {
                    constraints.add(VersionSpec.parse(version)::accepts);
                    continue;
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(HINT);
                }
            }
            SemVer bound = SemVer.parse(version);
            if (bound == null) {
                throw new IllegalArgumentException(HINT);
            }
            constraints.add(
                    switch (op) {
                        case ">=" -> v -> v.compareTo(bound) >= 0;
                        case "<=" -> v -> v.compareTo(bound) <= 0;
                        case ">" -> v -> v.compareTo(bound) > 0;
                        case "<" -> v -> v.compareTo(bound) < 0;
                        default -> bound::equals;
                    });
        }
        if (constraints.isEmpty()) {
            throw new IllegalArgumentException(HINT);
        }
        return new VersionRange(constraints);
    }

    public boolean contains(SemVer version) {
        return constraints.stream().allMatch(c -> c.test(version));
    }
}
