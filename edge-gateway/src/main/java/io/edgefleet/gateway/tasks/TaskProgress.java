package io.edgefleet.gateway.tasks;

/** Where a task reports its steps (sent as {@code COMMAND_PROGRESS}). */
@FunctionalInterface
public interface TaskProgress {

    void step(String step, String message);

    TaskProgress NONE = (step, message) -> {};
}
