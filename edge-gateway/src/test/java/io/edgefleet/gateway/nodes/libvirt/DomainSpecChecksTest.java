package io.edgefleet.gateway.nodes.libvirt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainSpecChecksTest {

    /** The guest's chown resolves names, so virtualized nodes take them; the group is required but for root. */
    @Test
    void ownersMayBeNamesOrNumbers() {
        for (String owner :
                new String[] {"root", "root:root", "0:0", "1000:1000", "ubuntu:ubuntu", "_apt:nogroup", "ubuntu:1000"
                }) {
            assertTrue(DomainSpecChecks.OWNER.matcher(owner).matches(), owner);
        }
        for (String owner : new String[] {"ubuntu", "1000", "Ubuntu:x", "root;rm", "a:b:c", "ubuntu:", "$(id):x"}) {
            assertFalse(DomainSpecChecks.OWNER.matcher(owner).matches(), owner);
        }
    }
}
