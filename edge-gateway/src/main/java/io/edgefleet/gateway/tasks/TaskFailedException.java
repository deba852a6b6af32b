package io.edgefleet.gateway.tasks;

import io.edgefleet.events.payload.TaskOutput;

/**
 * A task could not be carried out. The message is the one line the operator reads in the command's
 * result; {@code output} is what the task produced anyway (a failed patch's output), or null.
 */
public final class TaskFailedException extends Exception {

    private final transient TaskOutput output;

    public TaskFailedException(String message) {
        this(message, null, null);
    }

    public TaskFailedException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public TaskFailedException(String message, TaskOutput output, Throwable cause) {
        super(message, cause);
        this.output = output;
    }

    public TaskOutput output() {
        return output;
    }
}
