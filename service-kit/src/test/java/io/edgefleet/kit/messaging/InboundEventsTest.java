package io.edgefleet.kit.messaging;

import io.edgefleet.events.InvalidEventException;
import io.vertx.sqlclient.DatabaseException;
import org.hibernate.exception.DataException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures of an event are final (dead letter) and which are retried until they pass. */
class InboundEventsTest {

    @Test
    void aMalformedEventIsFinal() {
        assertNotNull(InboundEvents.whyNever(new InvalidEventException("payload: missing uid")));
        assertNotNull(InboundEvents.whyNever(new CompletionException(new InvalidEventException("x"))));
    }

    @Test
    void dataThePostgresRefusesIsFinalAsHibernateReactiveReportsIt() {
        // as Hibernate Reactive converts a refused update: SQLException with the server's SQLSTATE, then DataException
        SQLException sql = new SQLException("unsupported Unicode escape sequence", "22P05", 0);
        String why = InboundEvents.whyNever(new CompletionException(new DataException("error executing SQL", sql)));
        assertNotNull(why);
        assertTrue(why.contains("22P05"), why);
        assertNotNull(InboundEvents.whyNever(database("value too long", "22001")));
    }

    @Test
    void anOutageOrAConflictIsRetried() {
        assertNull(InboundEvents.whyNever(new CompletionException(new ConnectException("Connection refused"))));
        assertNull(InboundEvents.whyNever(
                new JDBCConnectionException("gone", new SQLException("terminating connection", "57P01"))));
        assertNull(InboundEvents.whyNever(database("could not serialize", "40001")));
        assertNull(InboundEvents.whyNever(new IllegalStateException("a bug: fixed and redeployed, then it passes")));
    }

    /** What the Vert.x PostgreSQL client raises (its PgException) for a server error with {@code state}. */
    private static DatabaseException database(String message, String state) {
        return new DatabaseException(message, 0, state, null) {};
    }
}
