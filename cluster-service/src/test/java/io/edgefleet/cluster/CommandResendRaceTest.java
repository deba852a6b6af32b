package io.edgefleet.cluster;

import io.agroal.api.AgroalDataSource;
import io.edgefleet.kit.commands.CommandResender;
import io.edgefleet.testsupport.Eventually;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resender racing a result: it reads a command as silent, and its result closes the command (deletes the row)
 * before the resend is written. That lost race is the resender's to lose quietly — the command is not sent again and
 * the tick does not fail (an entity update there failed the whole tick with an OptimisticLockException at 1,000
 * clusters).
 */
@QuarkusTest
@TestInfrastructure
class CommandResendRaceTest {

    @Inject
    AgroalDataSource db;

    @Inject
    CommandResender resender;

    @Test
    void aCommandAnsweredWhileItIsBeingSentAgainIsNotSentAndTheTickDoesNotFail() throws Exception {
        String uid = "race-" + UUID.randomUUID().toString().substring(0, 8);
        String commandId = "cmd-" + uid;
        try (Connection c = db.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "insert into cluster.gateway_command (command_id, tenant,"
                                + " appliance_uid, event_type, payload, timeout_secs, sent_at, last_sent_at, sends)"
                                + " values (?, 'tenant-a', ?, 'edgefleet.gateway.create-node.v1', '{}', 600, now(), now(), 1)")) {
            insert.setString(1, commandId);
            insert.setString(2, uid);
            insert.executeUpdate(); // sent just now: silent only after the test's 3 s
        }
        try (Connection result = db.getConnection()) {
            result.setAutoCommit(false);
            // the result's transaction has the row ...
            execute(result, "select 1 from cluster.gateway_command where command_id = ? for update", commandId);
            // ... when the resender (its scheduled tick, then this call), which read it as silent, comes to send it
            // again: each waits for the row
            assertTrue(
                    Eventually.holds(Duration.ofSeconds(30), Duration.ofMillis(100), () -> resendsWaiting() >= 1),
                    "the resender's tick reached the command");
            CompletableFuture<Integer> resending = CompletableFuture.supplyAsync(() -> {
                try {
                    return VertxContextSupport.subscribeAndAwait(() -> resender.resendSilent());
                } catch (Throwable e) {
                    throw new CompletionException(e);
                }
            });
            assertTrue(
                    Eventually.holds(Duration.ofSeconds(30), Duration.ofMillis(100), () -> resendsWaiting() >= 2),
                    "this resend reached the command too");
            execute(result, "delete from cluster.gateway_command where command_id = ?", commandId);
            result.commit(); // the result closed the command
            resending.get(30, TimeUnit.SECONDS); // completes: a lost race does not fail the tick
        }
        assertEquals(0, count("select count(*) from cluster.outbox_message where message_key = ?", uid), "not resent");
        assertEquals(0, count("select count(*) from cluster.gateway_command where command_id = ?", commandId));
    }

    private long resendsWaiting() {
        try {
            return count(
                    "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                            + " and query like ? and query like '%gateway_command%'",
                    "update%");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            s.execute();
        }
    }

    private long count(String sql, String parameter) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
