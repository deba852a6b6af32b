package io.edgefleet.cluster.rollout;

import io.edgefleet.events.payload.ClusterStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a re-link does to each cluster of the profile, decided without I/O. */
class RelinkRouteTest {

    @Test
    void anImmediateProfileRollsEveryClusterAtOnceWhateverElseHolds() {
        for (ClusterStatus status : ClusterStatus.values()) {
            assertEquals(RelinkRoute.NOW, RelinkRoute.of(true, false, true, status, true, true));
            assertEquals(RelinkRoute.NOW, RelinkRoute.of(true, false, false, status, false, false));
        }
    }

    @Test
    void aRolloutProfileHandsItsRunningClustersToARollout() {
        assertEquals(RelinkRoute.ROLLOUT, RelinkRoute.of(true, true, true, ClusterStatus.RUNNING, false, false));
    }

    @Test
    void aClusterInAnUnfinishedRolloutIsLeftToIt() {
        assertEquals(RelinkRoute.LEAVE, RelinkRoute.of(true, true, true, ClusterStatus.RUNNING, true, false));
        assertEquals(RelinkRoute.LEAVE, RelinkRoute.of(true, true, true, ClusterStatus.UPDATING, true, false));
        assertEquals(RelinkRoute.LEAVE, RelinkRoute.of(true, true, false, ClusterStatus.RUNNING, true, true));
    }

    @Test
    void addOnsClustersNotRunningAndOsPatchSchedulesKeepTodaysPath() {
        assertEquals(RelinkRoute.NOW, RelinkRoute.of(true, true, false, ClusterStatus.RUNNING, false, false), "add-on");
        assertEquals(
                RelinkRoute.NOW, RelinkRoute.of(true, true, true, ClusterStatus.RUNNING, false, true), "OS schedule");
        for (ClusterStatus status : ClusterStatus.values()) {
            if (status != ClusterStatus.RUNNING) {
                assertEquals(RelinkRoute.NOW, RelinkRoute.of(true, true, true, status, false, false), status.name());
            }
        }
    }

    @Test
    void aChangeThatLeavesTheStackAsItRunsTouchesNothing() {
        for (ClusterStatus status : ClusterStatus.values()) {
            assertEquals(RelinkRoute.UNCHANGED, RelinkRoute.of(false, false, true, status, false, false));
            assertEquals(RelinkRoute.UNCHANGED, RelinkRoute.of(false, true, true, status, false, false));
            assertEquals(RelinkRoute.UNCHANGED, RelinkRoute.of(false, true, true, status, true, true));
        }
    }
}
