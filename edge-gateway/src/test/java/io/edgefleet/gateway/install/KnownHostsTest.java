package io.edgefleet.gateway.install;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which known_hosts host fields name the libvirt host: plain, patterns, port 22 in brackets, hashed by ssh-keygen -H. */
class KnownHostsTest {

    @Test
    void plainNamesAndPatterns() {
        assertTrue(KnownHosts.matches("10.0.0.5", "10.0.0.5"));
        assertTrue(KnownHosts.matches("edge-1,10.0.0.5", "10.0.0.5"));
        assertTrue(KnownHosts.matches("[10.0.0.5]:22", "10.0.0.5"));
        assertTrue(KnownHosts.matches("10.0.0.*", "10.0.0.5"));
        assertTrue(KnownHosts.matches("fd00::5", "[FD00::5]"));
        assertFalse(KnownHosts.matches("10.0.0.50", "10.0.0.5"));
        assertFalse(KnownHosts.matches("[10.0.0.5]:2222", "10.0.0.5"), "another port's key");
        assertFalse(KnownHosts.matches("10.0.0.*,!10.0.0.5", "10.0.0.5"), "negated");
    }

    @Test
    void hashedNamesAsSshKeygenWritesThem() {
        // ssh-keygen -H of "10.0.0.5 ssh-ed25519 …"
        String hashed = "|1|sPrXSUENyIPWimnsstyofOBnPGU=|cAmkG6Dboivd1Aaaj47PtXg1c6o=";
        assertTrue(KnownHosts.matches(hashed, "10.0.0.5"));
        assertFalse(KnownHosts.matches(hashed, "10.0.0.6"));
        assertFalse(KnownHosts.matches("|1|not-base64|x", "10.0.0.5"));
    }
}
