package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeDriverException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -m offline} on the real engine: a node image the engine lacks is never pulled. It is loaded from the bundle's
 * {@code images/} (a real {@code docker save} archive of the node image under a tag of its own), and a node whose image
 * is in neither place fails with a clear reason, creating nothing. Online, the engine is asked to pull it.
 */
class OfflineNodeImagesTest {

    private static DockerEngine engine;

    private final String tenant = "test-" + random();
    private final String image = "edgefleet/offline-" + random() + ":1";
    private DockerNodeDriver driver;

    @TempDir
    Path bundle;

    @BeforeAll
    static void requireEngine() {
        engine = DockerEngine.require();
    }

    @AfterEach
    void cleanUp() {
        if (driver != null) {
            driver.close();
        }
        engine.cleanup(tenant, List.of());
        untag(image);
    }

    private static String random() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static void untag(String image) {
        try {
            engine.client.removeImageCmd(image).withNoPrune(true).exec();
        } catch (NotFoundException e) {
            // not there
        }
    }

    private boolean present(String image) {
        try {
            engine.client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private NodeSpec spec(String cluster, String node) {
        return new NodeSpec(
                cluster,
                "pool-a",
                node,
                NodeRole.WORKER,
                null,
                new NodeSpec.Resources(1, 64, 10, "0"),
                image,
                null,
                List.of(),
                Map.of(),
                List.of(),
                Map.of());
    }

    @Test
    void anImageNeitherInTheEngineNorInTheBundleFailsAndNothingIsPulled() throws Exception {
        Path images = Files.createDirectories(bundle.resolve("images"));
        Files.writeString(images.resolve("not-an-image.tar"), "junk");
        driver = new DockerNodeDriver(DockerEngine.HOST, tenant, NodeImages.offline(images));
        String cluster = "c" + random();

        NodeDriverException e = assertThrows(NodeDriverException.class, () -> driver.create(spec(cluster, "n1"), "c1"));

        assertTrue(
                e.getMessage()
                        .startsWith("offline installation: node image " + image
                                + " is not in the Docker engine nor in the bundle (" + images + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("nothing is pulled"), e.getMessage());
        assertFalse(present(image), "not pulled");
        assertEquals(List.of(), engine.containersNamed("ef-" + cluster + "-n1"));
        assertEquals(List.of(), engine.networksNamed("ef-" + cluster));
    }

    @Test
    void anImageOfTheBundleIsLoadedAndTheNodeRuns() throws Exception {
        // the bundle's archive: the node image under a tag of its own, saved, and the tag removed from the engine
        engine.client
                .tagImageCmd(DockerEngine.NODE_IMAGE, image.substring(0, image.indexOf(':')), "1")
                .exec();
        Path images = Files.createDirectories(bundle.resolve("images"));
        try (InputStream saved = engine.client.saveImageCmd(image).exec()) {
            Files.copy(saved, images.resolve("node.tar"));
        }
        untag(image);
        assertFalse(present(image));
        assertTrue(NodeImages.tags(images.resolve("node.tar")).contains(image), "docker save's manifest tags it");

        driver = new DockerNodeDriver(DockerEngine.HOST, tenant, NodeImages.offline(images));
        NodeStatus node = driver.create(spec("c" + random(), "n1"), "c1");

        assertEquals(NodeState.RUNNING, node.state());
        assertTrue(present(image), "loaded from the bundle");
    }

    @Test
    void onlineAMissingImageIsAskedOfItsRegistry() {
        driver = new DockerNodeDriver(DockerEngine.HOST, tenant); // online
        String cluster = "c" + random();

        NodeDriverException e = assertThrows(NodeDriverException.class, () -> driver.create(spec(cluster, "n1"), "c1"));

        // no registry serves this made-up image (nor is one reachable from a test machine): the pull's own reason
        assertTrue(
                e.getMessage().startsWith("node image " + image + " is not on this appliance and could not be pulled"),
                e.getMessage());
        assertEquals(List.of(), engine.containersNamed("ef-" + cluster + "-n1"));
    }

    @Test
    void namesOfOneImageAreTheSame() {
        assertEquals("busybox:latest", NodeImages.normalized("busybox"));
        assertEquals("busybox:latest", NodeImages.normalized("docker.io/library/busybox:latest"));
        assertEquals("edgefleet/node:latest", NodeImages.normalized("docker.io/edgefleet/node"));
        assertEquals(
                "registry.local:5000/edgefleet/node:2", NodeImages.normalized("registry.local:5000/edgefleet/node:2"));
        assertEquals("registry.local:5000/node:latest", NodeImages.normalized("registry.local:5000/node"));
    }
}
