package io.edgefleet.policy;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.kit.scheduling.JobLock;
import io.edgefleet.testsupport.JobLockChecks;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;

/**
 * Scale-out: policy-service's scheduled jobs that change state take their single-instance lock (service-kit
 * {@link JobLock}): while another instance holds it, none of their runs happens here (docs/operations.md).
 */
@QuarkusTest
@TestInfrastructure
class ScheduledJobsLockTest {

    private static final String SOURCE = "/edgefleet/policy-service";

    @Inject
    AgroalDataSource db;

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void theTickerTakesItsLock() throws Exception {
        JobLockChecks.skippedWhileLocked(
                db, JobLock.key(SOURCE, "policy-tick"), "policy-tick", ScheduledJobsLockTest::metrics);
    }

    @Test
    void theRetentionSweeperTakesItsLock() throws Exception {
        JobLockChecks.skippedWhileLocked(
                db, JobLock.key(SOURCE, "backup-retention"), "backup-retention", ScheduledJobsLockTest::metrics);
    }

    @Test
    void theCommandResenderTakesItsLock() throws Exception {
        JobLockChecks.skippedWhileLocked(
                db,
                JobLock.key(SOURCE, "gateway-command-resend"),
                "gateway-command-resend",
                ScheduledJobsLockTest::metrics);
    }
}
