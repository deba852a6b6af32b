package io.edgefleet.cluster.service;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.cluster.Bus;
import io.edgefleet.cluster.Fixtures;
import io.edgefleet.cluster.Rollouts;
import io.edgefleet.cluster.TestInfrastructure;
import io.edgefleet.events.payload.ApplianceKind;
import io.edgefleet.events.payload.ApplianceStatus;
import io.edgefleet.events.payload.CloudType;
import io.edgefleet.events.payload.ProfileSnapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.edgefleet.testsupport.TestTokens.TENANT_A;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The progress feed against the real database while a writer commits a task change and a status change together, as
 * the service does when the last create makes a cluster RUNNING: the feed never sends a status before the task change
 * committed with it (a client that stops reading at RUNNING must have seen every task that led to it).
 */
@QuarkusTest
@TestInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskFeedTest {

    private static final String APPLIANCE = "feed-1";
    private static final String MARK = "feed check ";

    @Inject
    AgroalDataSource db;

    @Inject
    TaskFeed feed;

    private Bus bus;
    private String profileId;

    @BeforeAll
    void applianceAndProfile() {
        bus = new Bus(db);
        bus.appliance(
                TENANT_A,
                Fixtures.appliance(APPLIANCE, ApplianceStatus.READY, ApplianceKind.VM, Fixtures.vmInventory(4, 8)));
        ProfileSnapshot profile =
                Fixtures.profile(UUID.randomUUID().toString(), CloudType.CONTAINERIZED, "1.27.13", "");
        bus.profile(TENANT_A, profile);
        profileId = profile.id();
    }

    @AfterAll
    void close() {
        bus.close();
    }

    @Test
    void aStatusIsNeverSentBeforeTheTaskChangeCommittedWithIt() throws Exception {
        // no gateway runs for the appliance: the cluster stays PROVISIONING, its first task (seq 1) is the writer's
        String clusterId = Rollouts.createOneMaster(TENANT_A, "feed-race", profileId, APPLIANCE);
        List<TaskFeed.Item> items = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> feedFailure = new AtomicReference<>();
        Cancellable following = feed.follow(clusterId, 0).subscribe().with(items::add, feedFailure::set);
        Set<Long> written = ConcurrentHashMap.newKeySet(); // the revisions the writer committed with a task change
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> commits = writer.submit(() -> {
                int n = 0;
                try (Connection c = db.getConnection()) {
                    c.setAutoCommit(false);
                    while (!stop.get()) {
                        written.add(taskAndStatusTogether(c, clusterId));
                        n++;
                    }
                }
                return n;
            });
            // each poll that reads a revision of the writer is a chance to catch a commit between the two tables
            await().atMost(Duration.ofSeconds(90)).until(() -> commits.isDone() || statusesOf(items, written) >= 20);
            stop.set(true);
            assertTrue(commits.get() > 20, "the writer committed");
        } finally {
            stop.set(true);
            writer.shutdown();
            following.cancel();
        }
        assertNull(feedFailure.get());
        long taskMark = -1; // the revision in the writer's task change last sent
        for (TaskFeed.Item item : items) {
            if (item instanceof TaskFeed.TaskChanged t
                    && t.task().seq == 1
                    && t.task().message != null
                    && t.task().message.startsWith(MARK)) {
                taskMark = Long.parseLong(t.task().message.substring(MARK.length()));
            } else if (item instanceof TaskFeed.StatusChanged s && written.contains(s.revision())) {
                assertTrue(
                        taskMark >= s.revision(),
                        "revision " + s.revision() + " was sent before the task change committed with it (last sent: "
                                + taskMark + ")");
            }
        }
    }

    private static long statusesOf(List<TaskFeed.Item> items, Set<Long> written) {
        return items.stream()
                .filter(i -> i instanceof TaskFeed.StatusChanged s && written.contains(s.revision()))
                .count();
    }

    /** One transaction: the cluster's next revision and its first task's message naming it. */
    private static long taskAndStatusTogether(Connection c, String clusterId) throws SQLException {
        long revision;
        try (PreparedStatement status = c.prepareStatement(
                "update cluster.cluster set revision = revision + 1 where id = ? returning revision")) {
            status.setString(1, clusterId);
            try (ResultSet rs = status.executeQuery()) {
                rs.next();
                revision = rs.getLong(1);
            }
        }
        try (PreparedStatement task =
                c.prepareStatement("update cluster.cluster_task set message = ? where cluster_id = ? and seq = 1")) {
            task.setString(1, MARK + revision);
            task.setString(2, clusterId);
            assertEquals(1, task.executeUpdate());
        }
        c.commit();
        return revision;
    }
}
