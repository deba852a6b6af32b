package io.edgefleet.profile;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.kit.scheduling.JobLock;
import io.edgefleet.testsupport.JobLockChecks;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;

/**
 * Scale-out: profile-service's scheduled jobs that change state take their single-instance lock (service-kit
 * {@link JobLock}): while another instance holds it, none of their runs happens here (docs/operations.md).
 */
@QuarkusTest
@TestInfrastructure
class ScheduledJobsLockTest {

    private static final String SOURCE = "/edgefleet/profile-service";

    @Inject
    AgroalDataSource db;

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void theRegistrySyncTakesItsLock() throws Exception {
        JobLockChecks.skippedWhileLocked(
                db, JobLock.key(SOURCE, "registry-sync"), "registry-sync", ScheduledJobsLockTest::metrics);
    }
}
