package io.edgefleet.profile.version;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version a profile layer asks for: pinned to one release ({@code 1.1.1}, pre-releases allowed),
 * or a major or minor train ({@code 1.x}, {@code 1.1.x}) that always links the newest release on it.
 * Trains ignore pre-releases, and a minor train never leaves its minor ({@code 1.1.x} never picks 1.2.0).
 */
public sealed interface VersionSpec {

    String HINT = "must be a release like 1.1.1 or a train like 1.x or 1.1.x";

    /** @throws IllegalArgumentException with {@link #HINT} when {@code text} is neither */
    static VersionSpec parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException(HINT);
        }
        Matcher train = Train.PATTERN.matcher(text);
        if (train.matches()) {
            return new Train(
                    Long.parseLong(train.group(1)),
                    train.group(2) == null ? null : Long.parseLong(train.group(2)),
                    text);
        }
        SemVer pinned = SemVer.parse(text);
        if (pinned == null) {
            throw new IllegalArgumentException(HINT);
        }
        return new Pinned(pinned);
    }

    boolean accepts(SemVer release);

    /** The release this spec links among {@code releases}: the equal one, or the newest on the train. */
    default Optional<SemVer> select(Collection<SemVer> releases) {
        return releases.stream().filter(this::accepts).max(Comparator.naturalOrder());
    }

    record Pinned(SemVer release) implements VersionSpec {
        @Override
        public boolean accepts(SemVer candidate) {
            return release.equals(candidate);
        }

        @Override
        public String toString() {
            return release.toString();
        }
    }

    /** @param minor null for a major train ({@code 1.x}) */
    record Train(long major, Long minor, String text) implements VersionSpec {
        static final Pattern PATTERN = Pattern.compile("(\\d{1,9})\\.(?:(\\d{1,9})\\.)?x");

        @Override
        public boolean accepts(SemVer candidate) {
            return !candidate.isPreRelease()
                    && candidate.major() == major
                    && (minor == null || candidate.minor() == minor);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
