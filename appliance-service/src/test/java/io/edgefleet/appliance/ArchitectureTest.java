package io.edgefleet.appliance;

import io.edgefleet.testsupport.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/** The service keeps the layering of every service (test-support {@link ServiceArchitecture}). */
class ArchitectureTest {

    @Test
    void layersAndPackagesKeepTheRules() {
        ServiceArchitecture.check("io.edgefleet.appliance");
    }

    @Test
    void everyQuarkusTestUsesTheTestInfrastructure() {
        ServiceArchitecture.checkQuarkusTestsUse("io.edgefleet.appliance", TestInfrastructure.class);
    }
}
