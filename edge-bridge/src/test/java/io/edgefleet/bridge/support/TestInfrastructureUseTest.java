package io.edgefleet.bridge.support;

import io.edgefleet.testsupport.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/** Every {@code @QuarkusTest} of the bridge carries {@link TestInfrastructure}: one start of the application. */
class TestInfrastructureUseTest {

    @Test
    void everyQuarkusTestUsesTheTestInfrastructure() {
        ServiceArchitecture.checkQuarkusTestsUse("io.edgefleet.bridge", TestInfrastructure.class);
    }
}
