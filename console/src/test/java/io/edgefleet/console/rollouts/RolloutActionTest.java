package io.edgefleet.console.rollouts;

import io.edgefleet.sdk.model.RolloutStatus;
import io.edgefleet.sdk.model.TargetState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.edgefleet.console.rollouts.RolloutAction.ABORT;
import static io.edgefleet.console.rollouts.RolloutAction.PAUSE;
import static io.edgefleet.console.rollouts.RolloutAction.RESUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each rollout state offers, as cluster-service's rollout endpoints accept it. */
class RolloutActionTest {

    @Test
    void aRunningRolloutIsPausedOrAbortedAPausedOneResumedOrAborted() {
        assertEquals(List.of(PAUSE, ABORT), RolloutAction.offered(RolloutStatus.RUNNING));
        assertEquals(List.of(RESUME, ABORT), RolloutAction.offered(RolloutStatus.PAUSED));
        assertEquals(List.of(), RolloutAction.offered(RolloutStatus.COMPLETED));
        assertEquals(List.of(), RolloutAction.offered(RolloutStatus.ABORTED));
        assertEquals(List.of(), RolloutAction.offered(null));
    }

    @Test
    void onlyAFailedClusterIsRolledBack() {
        for (TargetState state : TargetState.values()) {
            assertEquals(state == TargetState.FAILED, RolloutAction.rollbackAllowed(state), state.getValue());
        }
    }

    @Test
    void followedLiveWhileRunningOrWhileAClusterStillRolls() {
        assertTrue(RolloutAction.changing(RolloutStatus.RUNNING, List.of(TargetState.PENDING)));
        assertFalse(RolloutAction.changing(RolloutStatus.PAUSED, List.of(TargetState.HEALTHY, TargetState.PENDING)));
        assertTrue(RolloutAction.changing(RolloutStatus.PAUSED, List.of(TargetState.ROLLING)));
        assertTrue(RolloutAction.changing(RolloutStatus.ABORTED, List.of(TargetState.ROLLING_BACK)));
        assertFalse(RolloutAction.changing(RolloutStatus.COMPLETED, List.of(TargetState.HEALTHY)));
    }

    @Test
    void actionsAreNamedByTheirPath() {
        assertEquals(RESUME, RolloutAction.of("resume").orElseThrow());
        assertTrue(RolloutAction.of("rollback").isEmpty());
    }
}
