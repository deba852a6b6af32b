package io.edgefleet.gateway.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finished commands are forgotten after their retention; unfinished ones never. */
class CommandRetentionTest {

    @TempDir
    Path dir;

    @Test
    void onlyCommandsFinishedBeforeTheCutOffGo() {
        try (LocalStore store = new LocalStore(dir)) {
            store.recordCommand("done", "create-node", "{}");
            store.finish("done", """
                    {"outcome":"SUCCEEDED"}""", "e-1", "command.completed");
            store.recordCommand("running", "create-node", "{}");
            store.markRunning("running");

            assertEquals(
                    0, store.purgeFinishedCommands(Instant.now().minus(Duration.ofDays(7))), "finished just now: kept");
            assertTrue(store.command("done").isPresent());

            assertEquals(1, store.purgeFinishedCommands(Instant.now().plusSeconds(1)));
            assertTrue(store.command("done").isEmpty(), "the finished one is forgotten");
            assertTrue(store.command("running").isPresent(), "an unfinished one stays, whatever its age");
            assertEquals(1, store.unfinishedCommands().size());
            assertEquals(1, store.pendingReportCount(), "its result report is not touched");
        }
    }
}
