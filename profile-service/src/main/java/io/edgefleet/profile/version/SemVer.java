package io.edgefleet.profile.version;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version ({@code 1.2.3}, {@code 1.2.3-rc.1}, {@code 1.2.3+build}) ordered by SemVer 2.0
 * precedence: numbers numerically, a pre-release below its release, build metadata ignored.
 * <p>
 * {@link #parse} is lenient like Helm (a leading {@code v}, missing minor or patch, leading zeros as in
 * {@code 22.04.4}) because real indexes contain such versions; {@link #parseStrict} is for versions we
 * are asked to create. {@link #toString()} is the text as written.
 */
public final class SemVer implements Comparable<SemVer> {

    private static final Pattern LENIENT = Pattern.compile(
            "v?(\\d{1,9})(?:\\.(\\d{1,9}))?(?:\\.(\\d{1,9}))?(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");
    private static final Pattern STRICT = Pattern.compile(
            "(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    private final long major;
    private final long minor;
    private final long patch;
    private final String preRelease;
    private final String text;

    private SemVer(long major, long minor, long patch, String preRelease, String text) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.preRelease = preRelease;
        this.text = text;
    }

    /** @return the version, or null when {@code text} is not one */
    public static SemVer parse(String text) {
        return text == null ? null : of(LENIENT.matcher(text.trim()), text.trim());
    }

    /** @return the version, or null unless {@code text} is exactly {@code MAJOR.MINOR.PATCH[-PRE][+BUILD]} */
    public static SemVer parseStrict(String text) {
        return text == null ? null : of(STRICT.matcher(text), text);
    }

    private static SemVer of(Matcher m, String text) {
        if (!m.matches()) {
            return null;
        }
        return new SemVer(
                Long.parseLong(m.group(1)),
                m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
                m.group(3) == null ? 0 : Long.parseLong(m.group(3)),
                m.group(4),
                text);
    }

    public long major() {
        return major;
    }

    public long minor() {
        return minor;
    }

    public long patch() {
        return patch;
    }

    /** Pre-releases ({@code 1.2.0-rc.1}) never satisfy a version train. */
    public boolean isPreRelease() {
        return preRelease != null;
    }

    /** {@code MAJOR.MINOR.PATCH[-PRE]}: equal for versions of equal precedence ({@code v1.2} and {@code 1.2.0}). */
    public String canonical() {
        return major + "." + minor + "." + patch + (preRelease == null ? "" : "-" + preRelease);
    }

    @Override
    public int compareTo(SemVer other) {
        int c = Long.compare(major, other.major);
        if (c == 0) {
            c = Long.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, other.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease == null || other.preRelease == null) {
            return preRelease == null ? (other.preRelease == null ? 0 : 1) : -1;
        }
        return comparePreRelease(preRelease, other.preRelease);
    }

    /** Identifier by identifier: numeric ones numerically and below alphanumeric ones; more identifiers win. */
    private static int comparePreRelease(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            boolean leftNumeric = left[i].chars().allMatch(Character::isDigit);
            boolean rightNumeric = right[i].chars().allMatch(Character::isDigit);
            int c;
            if (leftNumeric && rightNumeric) {
                String l = left[i].replaceFirst("^0+(?=.)", "");
                String r = right[i].replaceFirst("^0+(?=.)", "");
                c = l.length() != r.length() ? Integer.compare(l.length(), r.length()) : l.compareTo(r);
            } else if (leftNumeric || rightNumeric) {
                c = leftNumeric ? -1 : 1;
            } else {
                c = left[i].compareTo(right[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(left.length, right.length);
    }

    /** Equal precedence: {@code v1.2} equals {@code 1.2.0}; build metadata is ignored. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SemVer other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, preRelease);
    }

    @Override
    public String toString() {
        return text;
    }
}
