package io.edgefleet.gateway.testing;

import org.jboss.logmanager.ExtLogRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Collects what the gateway logs in this JVM (every logger under {@code io.edgefleet.gateway}), as formatted text. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.edgefleet.gateway");
    private final List<String> lines = new ArrayList<>();

    public LogCapture() {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** Every line so far, as "LEVEL message". */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> matching(String text) {
        return lines().stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public synchronized void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext
                ? ext.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record);
        lines.add(record.getLevel() + " " + message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
