package io.edgefleet.profile;

import io.edgefleet.profile.version.SemVer;
import io.edgefleet.profile.version.VersionRange;
import io.edgefleet.profile.version.VersionSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semantic version order, version trains and search ranges (no application needed). */
class VersionTest {

    private static List<SemVer> versions(String... texts) {
        return Stream.of(texts).map(SemVer::parse).toList();
    }

    private static String select(String spec, String... releases) {
        return VersionSpec.parse(spec)
                .select(versions(releases))
                .map(SemVer::toString)
                .orElse(null);
    }

    @Test
    void ordersBySemanticVersionPrecedence() {
        List<String> sorted = versions(
                        "1.10.0",
                        "1.2.0",
                        "1.2.0-rc.1",
                        "1.2.0-alpha",
                        "1.2.0-alpha.10",
                        "1.2.0-alpha.2",
                        "1.2.0-alpha.beta",
                        "0.9.9",
                        "2.0.0",
                        "1.2.0-beta")
                .stream()
                .sorted()
                .map(SemVer::toString)
                .toList();
        assertEquals(
                List.of(
                        "0.9.9",
                        "1.2.0-alpha",
                        "1.2.0-alpha.2",
                        "1.2.0-alpha.10",
                        "1.2.0-alpha.beta",
                        "1.2.0-beta",
                        "1.2.0-rc.1",
                        "1.2.0",
                        "1.10.0",
                        "2.0.0"),
                sorted);
        assertEquals(SemVer.parse("v1.2"), SemVer.parse("1.2.0"), "Helm-style lenient versions compare by precedence");
        assertEquals(SemVer.parse("1.2.0+build.7"), SemVer.parse("1.2.0"), "build metadata is ignored");
        assertEquals("22.4.5", SemVer.parse("22.04.5").canonical(), "Ubuntu-style leading zeros are numbers");
        assertNull(SemVer.parse("latest"));
        assertNull(SemVer.parseStrict("v1.2.3"));
        assertNull(SemVer.parseStrict("1.2"));
        assertTrue(SemVer.parse("1.2.0-rc.1").isPreRelease());
    }

    @Test
    void trainsPickTheNewestReleaseOnTheirTrainOnly() {
        String[] releases = {"1.0.0", "1.1.0", "1.1.1", "1.1.2", "1.2.0", "1.2.1-rc.1", "1.3.0-beta.1", "2.0.0"};
        assertEquals("1.1.2", select("1.1.x", releases), "a minor train never jumps to 1.2.0");
        assertEquals("1.2.0", select("1.x", releases), "a major train ignores pre-releases and 2.0.0");
        assertEquals("2.0.0", select("2.x", releases));
        assertEquals("1.1.1", select("1.1.1", releases), "pinned");
        assertEquals("1.2.1-rc.1", select("1.2.1-rc.1", releases), "a pre-release can be pinned");
        assertNull(select("3.x", releases));
        assertNull(select("1.4.x", releases));
        assertNull(select("1.1.9", releases));
        assertEquals("22.04.5", select("22.04.x", "22.04.3", "22.04.5", "20.04.6"));
        assertEquals("22.04.5", select("22.4.x", "22.04.3", "22.04.5", "20.04.6"));
        assertTrue(VersionSpec.parse("1.x") instanceof VersionSpec.Train);
        assertTrue(VersionSpec.parse("1.1.1") instanceof VersionSpec.Pinned);
        for (String bad : new String[] {"x", "1.x.x", "1.1.1.x", "latest", "^1.2", "~1.2", "", "1.*"}) {
            assertThrows(IllegalArgumentException.class, () -> VersionSpec.parse(bad), bad);
        }
    }

    @Test
    void rangesFilterSearches() {
        VersionRange range = VersionRange.parse(">=1.27.0 <1.30");
        assertTrue(range.contains(SemVer.parse("1.27.0")));
        assertTrue(range.contains(SemVer.parse("1.29.8")));
        assertFalse(range.contains(SemVer.parse("1.30.0")));
        assertFalse(range.contains(SemVer.parse("1.26.15")));
        assertTrue(VersionRange.parse(">1.28.0,<=1.29.4").contains(SemVer.parse("1.29.4")));
        assertTrue(VersionRange.parse("1.28.x").contains(SemVer.parse("1.28.13")));
        assertFalse(VersionRange.parse("1.28.x").contains(SemVer.parse("1.29.0")));
        assertTrue(VersionRange.parse("1.28.9").contains(SemVer.parse("1.28.9")));
        assertTrue(VersionRange.parse("=1.28.9").contains(SemVer.parse("1.28.9")));
        for (String bad : new String[] {">=", "<abc", "1.28.x >>2", "  "}) {
            assertThrows(IllegalArgumentException.class, () -> VersionRange.parse(bad), bad);
        }
    }
}
