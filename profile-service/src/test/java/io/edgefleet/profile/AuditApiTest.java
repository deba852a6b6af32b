package io.edgefleet.profile;

import io.edgefleet.testsupport.AuditChecks;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** profile-service records every write in its tenant's audit log (`GET /v1/audit`). */
@QuarkusTest
@TestInfrastructure
class AuditApiTest {

    @Test
    void aWriteIsInItsTenantsLogOnly() {
        AuditChecks.aWriteIsInItsTenantsLogOnly("/v1/profiles", "createProfile");
    }
}
