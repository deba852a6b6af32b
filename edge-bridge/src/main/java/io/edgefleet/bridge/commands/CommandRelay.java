package io.edgefleet.bridge.commands;

import com.hivemq.client.mqtt.exceptions.MqttEncodeException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgefleet.bridge.BridgeConfig;
import io.edgefleet.bridge.kafka.KafkaClients;
import io.edgefleet.bridge.metrics.BridgeMetrics;
import io.edgefleet.bridge.mqtt.MqttConnection;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.Topics;
import io.edgefleet.events.TraceContext;
import io.edgefleet.tracing.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code gateway-commands} → each appliance's MQTT command topic, QoS 1. Offsets are committed only for commands the
 * broker acknowledged (or that are skipped for good: malformed, past their deadline); a refused or unanswered PUBACK
 * is logged and the command is read and published again after a back-off. While the MQTT connection is down the
 * consumer is paused (it stays in its group) and nothing is published.
 */
@ApplicationScoped
public class CommandRelay {

    private static final Logger LOG = Logger.getLogger(CommandRelay.class);

    @Inject
    BridgeConfig config;

    @Inject
    KafkaClients kafka;

    @Inject
    MqttConnection mqtt;

    @Inject
    BridgeMetrics metrics;

    @Inject
    Tracer tracer;

    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread loop;
    private String lastFailure;

    public void start() {
        consumer = kafka.consumer(
                config.commands().groupId(),
                "edge-bridge-commands-" + config.mqtt().clientId());
        running = true;
        loop = new Thread(this::run, "command-relay");
        loop.setDaemon(true);
        loop.start();
    }

    /** Finishes the batch in hand (its offsets are committed), then leaves the consumer group. */
    public void stop() {
        running = false; // no wakeup(): it would also abort the commit of the batch in hand
        if (loop == null) {
            return;
        }
        try {
            loop.join(config.commands().publishTimeout().toMillis() + 5_000);
            if (loop.isAlive()) {
                loop.interrupt();
                loop.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean alive() {
        return loop != null && loop.isAlive();
    }

    private void run() {
        long backoff = 0;
        try {
            consumer.subscribe(List.of(Topics.GATEWAY_COMMANDS));
            while (running) {
                try {
                    boolean connected = mqtt.connected();
                    if (connected) {
                        consumer.resume(consumer.paused());
                    } else {
                        consumer.pause(
                                consumer.assignment()); // keeps the group membership; nothing to do without a broker
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                    if (records.isEmpty()) {
                        continue;
                    }
                    if (!connected
                            || !mqtt.connected()) { // e.g. a partition assigned during this poll: read it again later
                        rewind(records);
                        continue;
                    }
                    CommandBatch.Outcome outcome = new CommandBatch(records, this::publish)
                            .run(config.commands().publishTimeout());
                    consumer.commitSync(outcome.commit());
                    if (outcome.failed()) {
                        outcome.retryFrom().forEach(consumer::seek);
                        backoff = Math.min(Math.max(backoff * 2, 1_000), 10_000);
                        Thread.sleep(backoff);
                    } else {
                        backoff = 0;
                        recovered();
                    }
                } catch (KafkaException e) {
                    logOnce("Kafka: " + e.getMessage());
                    Thread.sleep(1_000);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.errorf(e, "the command relay stopped");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private CompletableFuture<Boolean> publish(ConsumerRecord<String, byte[]> record) {
        CommandMessage command;
        Mqtt5Publish publish;
        try {
            command = CommandMessage.of(record, config.commandTtl());
            publish = command.toPublish(Instant.now());
        } catch (InvalidEventException
                | IllegalArgumentException e) { // IllegalArgumentException: not encodable as MQTT
            LOG.warnf(
                    "skipping %s-%d@%d (key %s): %s",
                    record.topic(), record.partition(), record.offset(), record.key(), e.getMessage());
            metrics.commandSkipped("malformed");
            return CompletableFuture.completedFuture(true);
        }
        if (publish == null) {
            LOG.infof(
                    "not publishing command %s (%s) to %s: its deadline %s has passed",
                    command.event().id(), command.event().type(), command.topic(), command.deadline());
            metrics.commandSkipped("expired");
            return CompletableFuture.completedFuture(true);
        }
        // a span in the command's trace (none: a new one); the gateway gets this span as its parent
        Span span = tracer.spanBuilder("relay " + command.event().type() + " to MQTT")
                .setParent(Traces.parent(command.event().trace()))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "mqtt")
                .setAttribute("messaging.destination.name", command.topic())
                .setAttribute("messaging.message.id", command.event().id())
                .setAttribute("cloudevents.event_type", command.event().type())
                .startSpan();
        TraceContext trace = Traces.of(Context.root().with(span));
        if (trace != null) {
            publish = new CommandMessage(command.topic(), command.event().withTrace(trace), command.deadline())
                    .toPublish(Instant.now());
            if (publish == null) { // its deadline passed in between
                span.end();
                metrics.commandSkipped("expired");
                return CompletableFuture.completedFuture(true);
            }
        }
        return mqtt.publish(publish).handle((result, failed) -> {
            Throwable error = failed != null ? failed : result.getError().orElse(null);
            if (error != null) {
                span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
            }
            span.end();
            if (error == null) {
                LOG.debugf(
                        "command %s (%s) → %s",
                        command.event().id(), command.event().type(), command.topic());
                metrics.commandPublished();
                return true;
            }
            if (error
                    instanceof
                    MqttEncodeException tooLarge) { // e.g. over the broker's maximum packet size: never publishable
                LOG.errorf(
                        "skipping command %s to %s: %s", command.event().id(), command.topic(), tooLarge.getMessage());
                metrics.commandSkipped("too_large");
                return true;
            }
            String why = error instanceof Mqtt5PubAckException refused
                    ? "the broker refused it (" + refused.getMqttMessage().getReasonCode() + ")"
                    : "no PUBACK (" + error.getMessage() + ")";
            logOnce("command " + command.event().id() + " to " + command.topic() + ": " + why);
            return false;
        });
    }

    /** Puts back what a poll returned: the next poll starts with it again. */
    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private synchronized void recovered() {
        lastFailure = null;
    }

    private synchronized void logOnce(String failure) {
        if (!failure.equals(lastFailure)) {
            LOG.warnf("%s (will retry)", failure);
        }
        lastFailure = failure;
    }
}
