package io.edgefleet.testsupport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** For benchmarks: prints PostgreSQL's executed plan of a query (EXPLAIN ANALYZE), so a missing index shows with its time. */
public final class QueryPlans {

    private QueryPlans() {}

    public static void print(DataSource db, String what, String query) throws SQLException {
        try (Connection c = db.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("explain (analyze, costs off) " + query)) {
            System.out.printf("[bench] plan, %s:%n", what);
            while (rs.next()) {
                System.out.println("[bench]   " + rs.getString(1));
            }
        }
    }
}
