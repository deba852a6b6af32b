package io.edgefleet.profile;

import io.edgefleet.testsupport.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/** The service keeps the layering of every service (test-support {@link ServiceArchitecture}). */
class ArchitectureTest {

    @Test
    void layersAndPackagesKeepTheRules() {
        ServiceArchitecture.check("io.edgefleet.profile");
    }

    @Test
    void everyQuarkusTestUsesTheTestInfrastructure() {
        ServiceArchitecture.checkQuarkusTestsUse("io.edgefleet.profile", TestInfrastructure.class);
    }
}
