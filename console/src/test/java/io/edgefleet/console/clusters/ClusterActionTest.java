package io.edgefleet.console.clusters;

import io.edgefleet.sdk.model.ClusterStatus;
import io.edgefleet.sdk.model.ClusterView;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.edgefleet.console.clusters.ClusterAction.ABORT;
import static io.edgefleet.console.clusters.ClusterAction.DELETE;
import static io.edgefleet.console.clusters.ClusterAction.PROFILE;
import static io.edgefleet.console.clusters.ClusterAction.RETRY;
import static io.edgefleet.console.clusters.ClusterAction.SCALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The actions offered for each cluster state, as cluster-service's ClusterService accepts them. */
class ClusterActionTest {

    private static List<ClusterAction> offered(ClusterStatus status, ClusterStatus failedFrom) {
        return ClusterAction.offered(new ClusterView().status(status).failedFrom(failedFrom));
    }

    @Test
    void aProvisioningClusterCanOnlyBeAborted() {
        assertEquals(List.of(ABORT), offered(ClusterStatus.PENDING, null));
        assertEquals(List.of(ABORT), offered(ClusterStatus.PROVISIONING, null));
    }

    @Test
    void aRunningClusterCanBeDeletedScaledAndGivenAnotherProfileButNotAborted() {
        assertEquals(List.of(DELETE, SCALE, PROFILE), offered(ClusterStatus.RUNNING, null));
    }

    @Test
    void aFailedClusterIsRetriedAndAbortedOrDeletedByWhereItFailed() {
        // a FAILED cluster also takes another profile (a retry then uses it: how a bad value is fixed)
        assertEquals(List.of(ABORT, RETRY, PROFILE), offered(ClusterStatus.FAILED, ClusterStatus.PROVISIONING));
        assertEquals(List.of(DELETE, RETRY, PROFILE), offered(ClusterStatus.FAILED, ClusterStatus.UPDATING));
        // failed before it ever started provisioning: neither abort nor delete applies
        assertEquals(List.of(RETRY, PROFILE), offered(ClusterStatus.FAILED, null));
    }

    @Test
    void aClusterThatIsChangingByItselfOffersNothingAndIsFollowedLive() {
        for (ClusterStatus status : List.of(ClusterStatus.UPDATING, ClusterStatus.DELETING)) {
            assertEquals(List.of(), offered(status, null), status.getValue());
            assertTrue(ClusterAction.changing(status));
        }
        assertTrue(ClusterAction.changing(ClusterStatus.PROVISIONING));
        assertFalse(ClusterAction.changing(ClusterStatus.RUNNING));
        assertFalse(ClusterAction.changing(ClusterStatus.FAILED));
        assertEquals(List.of(), offered(ClusterStatus.DELETED, null));
    }

    @Test
    void actionsAreNamedByTheirPath() {
        assertEquals(SCALE, ClusterAction.of("scale").orElseThrow());
        assertEquals(PROFILE, ClusterAction.of("profile").orElseThrow());
        assertTrue(ClusterAction.of("reboot").isEmpty());
    }
}
