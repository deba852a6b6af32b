package io.edgefleet.kit.metrics;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gauge per status of some entity (appliances, clusters), sampled from the database on the service's schedule, not
 * at each scrape. Every known status is reported, 0 included, so an alert on a status that has no row yet still works.
 */
public final class CountsByStatus {

    private static final Logger LOG = Logger.getLogger(CountsByStatus.class);

    private final MultiGauge gauge;
    private final String query;
    private final List<String> statuses;

    /** @param query {@code select <status>, count(*) ... group by 1} */
    public CountsByStatus(MeterRegistry metrics, String name, String description, List<String> statuses, String query) {
        this.gauge = MultiGauge.builder(name).description(description).register(metrics);
        this.query = query;
        this.statuses = List.copyOf(statuses);
    }

    public void sample(AgroalDataSource dataSource) {
        Map<String, Long> counts = new LinkedHashMap<>();
        statuses.forEach(status -> counts.put(status, 0L));
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            LOG.debugf("counts not sampled (database away?): %s", e.getMessage());
            return; // keep the last sample
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((status, count) -> rows.add(MultiGauge.Row.of(Tags.of("status", status), count)));
        gauge.register(rows, true);
    }
}
