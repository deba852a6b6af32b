package io.edgefleet.policy.rest;

import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without ?format, the Accept header picks the report's form; a client that names both forms gets JSON. */
class ScanReportFormatTest {

    private static final MediaType CSV = MediaType.valueOf("text/csv");
    private static final MediaType JSON = MediaType.APPLICATION_JSON_TYPE;

    @Test
    void csvOnlyWhenTheAcceptHeaderPrefersIt() {
        assertTrue(ScanResource.prefersCsv(List.of(CSV)));
        assertTrue(ScanResource.prefersCsv(List.of(CSV, new MediaType("application", "json", Map.of("q", "0.5")))));
        // what the generated SDK sends: every type the operation can answer
        assertFalse(ScanResource.prefersCsv(List.of(JSON, CSV, MediaType.valueOf("application/problem+json"))));
        assertFalse(ScanResource.prefersCsv(List.of(CSV, JSON)));
        assertFalse(ScanResource.prefersCsv(List.of(MediaType.WILDCARD_TYPE)));
        assertFalse(ScanResource.prefersCsv(List.of()));
    }
}
