package io.edgefleet.bridge.commands;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One poll's commands on their way to the broker. Each appliance's commands (one record key) go one after the other,
 * the next only after the previous one's PUBACK, so a refused command is never overtaken by a later one of the same
 * appliance; different appliances go in parallel. What a partition may commit is everything before its first command
 * that did not get through; the relay reads again from there.
 */
final class CommandBatch {

    /** Publishes one record: true when done with it (acknowledged, or skipped for good), false to try again later. */
    interface Publisher extends Function<ConsumerRecord<String, byte[]>, CompletableFuture<Boolean>> {}

    /** What the batch achieved: offsets to commit, and where to read again in partitions where something failed. */
    record Outcome(Map<TopicPartition, OffsetAndMetadata> commit, Map<TopicPartition, Long> retryFrom) {
        boolean failed() {
            return !retryFrom.isEmpty();
        }
    }

    private final Map<TopicPartition, List<Chain>> chains = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private final Publisher publisher;
    private volatile boolean abandoned;

    CommandBatch(ConsumerRecords<String, byte[]> records, Publisher publisher) {
        this.publisher = publisher;
        for (TopicPartition partition : records.partitions()) {
            Map<String, Chain> byKey = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                byKey.computeIfAbsent(record.key() == null ? "" : record.key(), k -> new Chain())
                        .records
                        .add(record);
                ends.put(partition, record.offset() + 1);
            }
            chains.put(partition, new ArrayList<>(byKey.values()));
        }
    }

    /** Publishes everything and waits up to {@code timeout} for the PUBACKs; what is not through by then counts as failed. */
    Outcome run(Duration timeout) throws InterruptedException {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        chains.values().forEach(list -> list.forEach(chain -> all.add(chain.start())));
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the chains still running count as failed from their current record on
        } finally {
            abandoned = true; // a late PUBACK must not start a chain's next command: the relay reads it again anyway
        }
        return outcome();
    }

    private Outcome outcome() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Map<TopicPartition, Long> retryFrom = new HashMap<>();
        chains.forEach((partition, list) -> {
            long firstPending =
                    list.stream().mapToLong(Chain::pendingOffset).min().orElse(Long.MAX_VALUE);
            if (firstPending == Long.MAX_VALUE) {
                commit.put(partition, new OffsetAndMetadata(ends.get(partition)));
            } else {
                retryFrom.put(partition, firstPending);
                commit.put(partition, new OffsetAndMetadata(firstPending));
            }
        });
        return new Outcome(commit, retryFrom);
    }

    /** One appliance's commands of this batch, in offset order. */
    private final class Chain {
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile int next;

        CompletableFuture<Void> start() {
            step();
            return done;
        }

        private void step() {
            if (next >= records.size() || abandoned) {
                done.complete(null);
                return;
            }
            CompletableFuture<Boolean> published;
            try {
                published = publisher.apply(records.get(next));
            } catch (RuntimeException e) { // the client refused at once: same as a failed publish
                published = CompletableFuture.failedFuture(e);
            }
            published.whenComplete((through, error) -> {
                if (Boolean.TRUE.equals(through) && error == null) {
                    next++;
                    step();
                } else {
                    done.complete(null); // stays at this record: it and the rest are read again
                }
            });
        }

        /** The offset of the first record not through yet, or Long.MAX_VALUE when all are. */
        long pendingOffset() {
            int i = next;
            return i < records.size() ? records.get(i).offset() : Long.MAX_VALUE;
        }
    }
}
