package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.TaskOutput.Finding;
import io.edgefleet.events.payload.TaskOutput.FindingStatus;

import java.util.Objects;

/** Short constructors for scan findings. */
final class Findings {

    private Findings() {}

    static Finding pass(String id, String title, String evidence) {
        return new Finding(id, title, FindingStatus.PASS, evidence);
    }

    static Finding fail(String id, String title, String evidence) {
        return new Finding(id, title, FindingStatus.FAIL, evidence);
    }

    static Finding warn(String id, String title, String evidence) {
        return new Finding(id, title, FindingStatus.WARN, evidence);
    }

    /** The check could not be carried out: neither passed nor failed. */
    static Finding error(String id, String title, String evidence) {
        return new Finding(id, title, FindingStatus.ERROR, evidence);
    }

    static Finding of(boolean ok, String id, String title, String evidence) {
        return ok ? pass(id, title, evidence) : fail(id, title, evidence);
    }

    /** "expected X, found Y", the conformance scan's evidence. */
    static Finding compare(String id, String title, Object expected, Object found) {
        boolean same = Objects.equals(expected, found);
        return of(same, id, title, "expected " + expected + ", found " + found);
    }
}
