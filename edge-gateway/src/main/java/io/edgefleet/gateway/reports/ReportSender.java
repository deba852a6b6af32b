package io.edgefleet.gateway.reports;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.KafkaCloudEvents;
import io.edgefleet.events.Topics;
import io.edgefleet.gateway.credentials.TokenSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends reports on {@code gateway-reports}, keyed by the appliance uid, as CloudEvents with the
 * gateway's bearer token attached at send time (a queued report never carries an expired token).
 */
public final class ReportSender implements AutoCloseable {

    public static final String SOURCE = "/edgefleet/edge-gateway";

    private final String uid;
    private final String tenant;
    private final TokenSource tokens;
    private final Producer<String, byte[]> producer;
    private final Duration sendTimeout;

    public ReportSender(String bootstrapServers, String uid, String tenant, TokenSource tokens, Duration sendTimeout) {
        this.uid = uid;
        this.tenant = tenant;
        this.tokens = tokens;
        this.sendTimeout = sendTimeout;
        int timeout = (int) sendTimeout.toMillis();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "edge-gateway-" + uid,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeout / 2),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends one report and waits for the broker's acknowledgement. */
    public void send(String eventId, String type, String payloadJson, Instant time) throws ReportNotSentException {
        CloudEvent event = new CloudEvent(eventId, SOURCE, type, uid, tenant, time, payloadJson.getBytes(StandardCharsets.UTF_8));
        try {
            ProducerRecord<String, byte[]> record = KafkaCloudEvents.toRecord(Topics.GATEWAY_REPORTS, uid, event);
            producer.send(record).get(sendTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ReportNotSentException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw new ReportNotSentException(String.valueOf(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReportNotSentException("interrupted", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    public static final class ReportNotSentException extends Exception {
        public ReportNotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
