package io.edgefleet.cluster;

import io.edgefleet.testsupport.ApiFuzzer;
import io.edgefleet.testsupport.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;

/**
 * Hostile requests for every operation of the served document (ApiFuzzer): never a 5xx, every refusal a problem.
 * Path ids are random (no resource of this service exists without its upstream events): bodies and parameters are
 * still checked in full, as the service validates them before it looks anything up.
 */
@QuarkusTest
@TestInfrastructure
class ApiFuzzTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void noRequestBreaksTheApi() throws Exception {
        String admin = TestTokens.admin(TENANT_A);
        ApiFuzzer.ofServedDocument(base, () -> admin).assertNothingBreaks("cluster-service", 1300);
    }
}
