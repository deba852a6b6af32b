package io.edgefleet.policy;

import io.edgefleet.testsupport.AuditChecks;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** policy-service records every write in its tenant's audit log (`GET /v1/audit`). */
@QuarkusTest
@TestInfrastructure
class AuditApiTest {

    @Test
    void aWriteIsInItsTenantsLogOnly() {
        AuditChecks.aWriteIsInItsTenantsLogOnly("/v1/policies", "createPolicy");
    }
}
