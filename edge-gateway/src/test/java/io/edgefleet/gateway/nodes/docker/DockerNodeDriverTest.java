package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import io.edgefleet.events.payload.NodeConsole;
import io.edgefleet.events.payload.NodeRole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.testsupport.CuttableRelay;
import io.edgefleet.testsupport.Eventually;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Docker node driver against the real engine (deploy/ci/docker-up.sh starts it and builds the node
 * image). Each test run is its own tenant with fresh cluster ids; everything of that tenant is
 * removed after each test, whatever the driver did.
 */
class DockerNodeDriverTest {

    private static DockerEngine engine;

    private final String tenant = "test-" + random();
    private final List<String> foreignNames = new ArrayList<>();
    private DockerNodeDriver driver;

    @BeforeAll
    static void requireEngine() {
        engine = DockerEngine.require();
    }

    @BeforeEach
    void openDriver() {
        driver = new DockerNodeDriver(DockerEngine.HOST, tenant);
    }

    @AfterEach
    void cleanUp() {
        driver.close();
        engine.cleanup(tenant, foreignNames);
    }

    private static String random() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String cluster() {
        return "c" + random();
    }

    private static NodeSpec spec(
            String cluster,
            String node,
            String hostname,
            List<NodeSpec.NodeFile> files,
            Map<String, String> env,
            Map<String, String> labels) {
        return new NodeSpec(
                cluster,
                "pool-a",
                node,
                NodeRole.WORKER,
                hostname,
                new NodeSpec.Resources(1, 64, 10, "0"),
                DockerEngine.NODE_IMAGE,
                null,
                List.of(),
                env,
                files,
                labels);
    }

    private static NodeSpec spec(String cluster, String node) {
        return spec(cluster, node, null, List.of(), Map.of(), Map.of());
    }

    @Test
    void createsARunningNodeWithItsLabelsLimitsEnvFilesKeysAndClusterNetwork() throws Exception {
        String cluster = cluster();
        Map<String, String> env = Map.of(
                "HTTP_PROXY",
                "http://proxy.example:3128",
                "NO_PROXY",
                "localhost,.cluster.local",
                "https_proxy",
                "http://proxy.example:3128");
        List<NodeSpec.NodeFile> files = List.of(
                new NodeSpec.NodeFile(
                        "/etc/edgefleet/bootstrap.yaml", "token: abc\nserver: https://m1:6443\n", "1000:1000", "0640"),
                new NodeSpec.NodeFile(
                        "/usr/local/share/ca-certificates/edge-ca.crt",
                        "-----BEGIN CERTIFICATE-----\n",
                        "root:root",
                        "0644"));
        NodeSpec specA = new NodeSpec(
                cluster,
                "pool-a",
                "m1",
                NodeRole.MASTER,
                "master-1.edge.local",
                new NodeSpec.Resources(1, 64, 10, "0"),
                DockerEngine.NODE_IMAGE,
                null,
                List.of("ssh-ed25519 AAAAC3Nza... ops@edge", "ssh-rsa AAAAB3Nza... backup@edge"),
                env,
                files,
                Map.of("profile/tier", "gold", "site", "store-42"));

        NodeStatus a = driver.create(specA, "cmd-1");

        assertEquals(NodeState.RUNNING, a.state(), a::toString);
        assertEquals(
                List.of(cluster, "pool-a", "m1", "cmd-1"),
                List.of(a.clusterId(), a.poolName(), a.nodeId(), a.commandId()));
        InspectContainerResponse c = engine.container(a.ref());
        assertEquals("/ef-" + cluster + "-m1", c.getName());
        Map<String, String> labels = c.getConfig().getLabels();
        assertEquals("true", labels.get(NodeNames.MANAGED));
        assertEquals(tenant, labels.get(NodeNames.TENANT));
        assertEquals(cluster, labels.get(NodeNames.CLUSTER));
        assertEquals("pool-a", labels.get(NodeNames.POOL_LABEL));
        assertEquals("m1", labels.get(NodeNames.NODE));
        assertEquals("cmd-1", labels.get(NodeNames.COMMAND));
        assertEquals("MASTER", labels.get(NodeNames.ROLE));
        assertEquals("gold", labels.get("io.edgefleet.label.profile/tier"));
        assertEquals("store-42", labels.get("io.edgefleet.label.site"));
        assertEquals("master-1.edge.local", c.getConfig().getHostName());
        assertEquals(64L * 1024 * 1024, c.getHostConfig().getMemory());
        assertEquals(1_000_000_000L, c.getHostConfig().getNanoCPUs());
        assertEquals("0", c.getHostConfig().getCpusetCpus());
        assertTrue(
                Arrays.asList(c.getConfig().getEnv())
                        .containsAll(List.of(
                                "HTTP_PROXY=http://proxy.example:3128",
                                "NO_PROXY=localhost,.cluster.local",
                                "https_proxy=http://proxy.example:3128")),
                () -> Arrays.toString(c.getConfig().getEnv()));

        String id = a.ref();
        assertEquals(
                "http://proxy.example:3128",
                engine.exec(id, "sh", "-c", "echo \"$HTTP_PROXY\"").trim());
        assertEquals("master-1.edge.local", engine.exec(id, "hostname").trim());
        assertEquals(
                "640 1000:1000",
                engine.exec(id, "stat", "-c", "%a %u:%g", "/etc/edgefleet/bootstrap.yaml")
                        .trim());
        assertEquals("token: abc\nserver: https://m1:6443\n", engine.exec(id, "cat", "/etc/edgefleet/bootstrap.yaml"));
        assertEquals(
                "644 0:0",
                engine.exec(id, "stat", "-c", "%a %u:%g", "/usr/local/share/ca-certificates/edge-ca.crt")
                        .trim());
        assertEquals(
                "700 0:0",
                engine.exec(id, "stat", "-c", "%a %u:%g", "/root/.ssh").trim());
        assertEquals(
                "600 0:0",
                engine.exec(id, "stat", "-c", "%a %u:%g", "/root/.ssh/authorized_keys")
                        .trim());
        assertEquals(
                "ssh-ed25519 AAAAC3Nza... ops@edge\nssh-rsa AAAAB3Nza... backup@edge\n",
                engine.exec(id, "cat", "/root/.ssh/authorized_keys"));
        // missing parents are made 0755; directories of the image keep their mode
        assertEquals(
                "755 0:0",
                engine.exec(id, "stat", "-c", "%a %u:%g", "/etc/edgefleet").trim());
        assertEquals("1777", engine.exec(id, "stat", "-c", "%a", "/tmp").trim());

        List<Network> networks = engine.networksNamed("ef-" + cluster);
        assertEquals(1, networks.size());
        assertEquals("bridge", networks.get(0).getDriver());
        assertEquals(
                Map.of(NodeNames.MANAGED, "true", NodeNames.TENANT, tenant, NodeNames.CLUSTER, cluster),
                networks.get(0).getLabels());
        ContainerNetwork attached = c.getNetworkSettings().getNetworks().get("ef-" + cluster);
        assertNotNull(
                attached,
                () -> "attached to " + c.getNetworkSettings().getNetworks().keySet());
        assertFalse(attached.getIpAddress().isBlank());
        assertEquals(attached.getIpAddress(), a.ip());

        // a second node of the cluster; the first one reaches its web server by its hostname and short name
        NodeSpec specB = spec(
                cluster,
                "w1",
                "worker-1.edge.local",
                List.of(new NodeSpec.NodeFile("/tmp/hello.txt", "hello from w1\n", null, null)),
                Map.of(),
                Map.of());
        NodeStatus b = driver.create(specB, "cmd-2");
        assertEquals(NodeState.RUNNING, b.state());
        assertNotEquals(a.ip(), b.ip());
        assertEquals(1, engine.networksNamed("ef-" + cluster).size());
        assertEquals("hello from w1\n", waitForHttp(id, "http://worker-1.edge.local:8080/hello.txt"));
        assertEquals("hello from w1\n", waitForHttp(id, "http://worker-1:8080/hello.txt"));
        assertTrue(engine.exec(b.ref(), "ping", "-c1", "-W2", "master-1").contains("1 packets received"));
    }

    /** busybox httpd comes up a moment after the container starts. */
    private static String waitForHttp(String containerId, String url) {
        // -Y off: the node has HTTP_PROXY set, not meant for the cluster network.
        // (No -T: busybox 1.35's static wget crashes with it.)
        return Awaitility.await("HTTP " + url + " from " + containerId)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(AssertionError.class)
                .until(
                        () -> engine.exec(containerId, "timeout", "5", "wget", "-q", "-Y", "off", "-O", "-", url),
                        r -> true);
    }

    @Test
    void consoleIsTheContainersOutputBoundedByLinesAndBytes() throws Exception {
        String cluster = cluster();
        driver.create(spec(cluster, "n1"), "cmd-1");
        // the node image's init prints "rcS: sysinit on <host>" once, then "node alive HH:MM:SS" every 5 s
        NodeDriver.NodeConsoleTail read = Eventually.value(
                Duration.ofSeconds(30),
                Duration.ofMillis(500),
                () -> console(cluster, "n1", 100, 64 * 1024),
                r -> r.tail().lines().stream().anyMatch(l -> l.startsWith("node alive")));
        assertEquals(NodeConsole.Source.CONTAINER_LOG, read.source());
        assertTrue(read.tail().lines().stream().anyMatch(l -> l.startsWith("rcS: sysinit on")), read.toString());
        assertFalse(read.tail().truncated());

        NodeDriver.NodeConsoleTail last = driver.console(cluster, "n1", 1, 64 * 1024);
        assertEquals(1, last.tail().lines().size(), last.toString());
        assertTrue(last.tail().lines().get(0).startsWith("node alive"), last.toString());
        // 12 bytes hold no "node alive HH:MM:SS" line: its end, and said to be cut
        NodeDriver.NodeConsoleTail small = driver.console(cluster, "n1", 100, 12);
        assertTrue(small.tail().truncated(), small.toString());
        assertTrue(small.tail().lines().get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 11);

        NodeDriverException missing =
                assertThrows(NodeDriverException.class, () -> driver.console(cluster, "n2", 10, 1000));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    private NodeDriver.NodeConsoleTail console(String cluster, String node, int lines, int maxBytes) {
        try {
            return driver.console(cluster, node, lines, maxBytes);
        } catch (NodeDriverException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDuplicateNetworkLeftByADeadGatewayIsRemovedAndTheNodeStarts() throws Exception {
        // a gateway that raced for the cluster network died before removing its duplicate: dockerd then finds the
        // network name ambiguous when it starts a node
        String cluster = cluster();
        for (int i = 0; i < 2; i++) {
            engine.client
                    .createNetworkCmd()
                    .withName("ef-" + cluster)
                    .withDriver("bridge")
                    .withLabels(NodeLabels.cluster(tenant, cluster))
                    .exec();
        }
        assertEquals(2, engine.networksNamed("ef-" + cluster).size());

        NodeStatus node = driver.create(spec(cluster, "n1"), "cmd-dup");
        assertEquals(NodeState.RUNNING, node.state());
        assertEquals(1, engine.networksNamed("ef-" + cluster).size(), "the duplicate went");
    }

    @Test
    void createIsIdempotentAlsoWhenTwoGatewaysRace() throws Exception {
        String cluster = cluster();
        NodeStatus first = driver.create(spec(cluster, "n1"), "cmd-1");
        NodeStatus again = driver.create(spec(cluster, "n1"), "cmd-1-retry");
        assertEquals(first.ref(), again.ref());
        assertEquals(NodeState.RUNNING, again.state());
        assertEquals("cmd-1", again.commandId(), "the adopted node keeps the command that created it");
        assertEquals(1, engine.containersNamed("ef-" + cluster + "-n1").size());

        // a stopped node is adopted and started, not replaced
        engine.client.killContainerCmd(first.ref()).exec();
        NodeStatus restarted = driver.create(spec(cluster, "n1"), "cmd-1");
        assertEquals(first.ref(), restarted.ref());
        assertEquals(NodeState.RUNNING, restarted.state());

        // two threads, each with its own driver (as two gateway processes would), create one new node
        // of a new cluster at once: the cluster network and the container name are both contended
        String raced = cluster();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (DockerNodeDriver other = new DockerNodeDriver(DockerEngine.HOST, tenant)) {
            CountDownLatch go = new CountDownLatch(1);
            Future<NodeStatus> one = pool.submit(() -> {
                go.await();
                return driver.create(spec(raced, "n1"), "cmd-x");
            });
            Future<NodeStatus> two = pool.submit(() -> {
                go.await();
                return other.create(spec(raced, "n1"), "cmd-x");
            });
            go.countDown();
            NodeStatus s1 = one.get(60, TimeUnit.SECONDS);
            NodeStatus s2 = two.get(60, TimeUnit.SECONDS);
            assertEquals(s1.ref(), s2.ref());
            assertEquals(NodeState.RUNNING, s1.state());
            assertEquals(NodeState.RUNNING, s2.state());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, engine.containersNamed("ef-" + raced + "-n1").size());
        assertEquals(1, engine.networksNamed("ef-" + raced).size());
    }

    @Test
    void aNameTakenByAForeignContainerFailsAndTheContainerIsLeftAlone() throws Exception {
        String cluster = cluster();
        String name = "ef-" + cluster + "-n1";
        foreignNames.add(name);
        // not ours, although it claims the node's cluster label: only MANAGED + TENANT + CLUSTER + NODE make it ours
        String foreign = engine.foreignContainer(name, Map.of(NodeNames.CLUSTER, cluster, "owner", "someone-else"));

        NodeDriverException e =
                assertThrows(NodeDriverException.class, () -> driver.create(spec(cluster, "n1"), "cmd-1"));
        assertTrue(e.getMessage().contains(name), e::getMessage);
        assertThrows(NodeDriverException.class, () -> driver.delete(cluster, "n1"));
        assertThrows(NodeDriverException.class, () -> driver.start(cluster, "n1"));
        assertThrows(NodeDriverException.class, () -> driver.inspect(cluster, "n1"));

        InspectContainerResponse after = engine.container(name);
        assertEquals(foreign, after.getId());
        assertEquals("created", after.getState().getStatus(), "never started");
        assertEquals(
                Map.of(NodeNames.CLUSTER, cluster, "owner", "someone-else"),
                after.getConfig().getLabels());
        assertEquals(List.of(), engine.networksNamed("ef-" + cluster), "no network made for a refused node");
    }

    @Test
    void stopStartInspectAndDeleteWithTheNetworkGoingWithTheLastNode() throws Exception {
        String cluster = cluster();
        NodeStatus n1 = driver.create(spec(cluster, "n1"), "cmd-1");
        NodeStatus n2 = driver.create(spec(cluster, "n2"), "cmd-2");

        NodeStatus stopped = driver.stop(cluster, "n1");
        assertEquals(NodeState.STOPPED, stopped.state(), stopped::toString);
        assertFalse(engine.container(n1.ref()).getState().getRunning());
        assertEquals(NodeState.STOPPED, driver.stop(cluster, "n1").state(), "stopping a stopped node is fine");
        assertEquals(
                NodeState.STOPPED, driver.inspect(cluster, "n1").orElseThrow().state());

        NodeStatus started = driver.start(cluster, "n1");
        assertEquals(NodeState.RUNNING, started.state());
        assertEquals(n1.ref(), started.ref());
        assertNotNull(started.ip());
        assertEquals(NodeState.RUNNING, driver.start(cluster, "n1").state(), "starting a running node is fine");
        NodeStatus inspected = driver.inspect(cluster, "n1").orElseThrow();
        assertEquals(
                List.of(NodeState.RUNNING, n1.ref(), "cmd-1"),
                List.of(inspected.state(), inspected.ref(), inspected.commandId()));

        NodeStatus deleted = driver.delete(cluster, "n1");
        assertEquals(NodeState.DELETED, deleted.state());
        assertNull(engine.container(n1.ref()));
        assertEquals(1, engine.networksNamed("ef-" + cluster).size(), "n2 still uses the network");

        assertEquals(NodeState.DELETED, driver.delete(cluster, "n2").state());
        assertNull(engine.container(n2.ref()));
        assertEquals(List.of(), engine.networksNamed("ef-" + cluster), "the last node took the network with it");

        assertEquals(NodeState.DELETED, driver.delete(cluster, "n2").state(), "deleting a missing node succeeds");
        assertTrue(driver.inspect(cluster, "n2").isEmpty());
        assertThrows(NodeDriverException.class, () -> driver.start(cluster, "n2"));
    }

    @Test
    void listShowsManagedNodesOnlyAndCleanupRemovesOneClusterOnly() throws Exception {
        String a = cluster();
        String b = cluster();
        NodeStatus a1 = driver.create(spec(a, "n1"), "cmd-1");
        NodeStatus a2 = driver.create(spec(a, "n2"), "cmd-2");
        NodeStatus b1 = driver.create(spec(b, "n1"), "cmd-3");
        engine.client.killContainerCmd(a2.ref()).exec();
        String plainName = "plain-" + random();
        foreignNames.add(plainName);
        String plain = engine.foreignContainer(plainName, Map.of(NodeNames.CLUSTER, a, NodeNames.TENANT, tenant));

        Map<String, NodeStatus> listed = driver.list().stream().collect(Collectors.toMap(NodeStatus::ref, s -> s));
        assertEquals(Set.of(a1.ref(), a2.ref(), b1.ref()), listed.keySet(), "managed containers of this tenant only");
        assertEquals(NodeState.RUNNING, listed.get(a1.ref()).state());
        assertEquals(NodeState.FAILED, listed.get(a2.ref()).state(), "killed: exit code 137");
        assertEquals(a1.ip(), listed.get(a1.ref()).ip());
        assertEquals(
                List.of(b, "pool-a", "n1", "cmd-3"),
                List.of(
                        listed.get(b1.ref()).clusterId(),
                        listed.get(b1.ref()).poolName(),
                        listed.get(b1.ref()).nodeId(),
                        listed.get(b1.ref()).commandId()));

        driver.cleanupCluster(a);
        assertNull(engine.container(a1.ref()));
        assertNull(engine.container(a2.ref()));
        assertEquals(List.of(), engine.networksNamed("ef-" + a));
        assertTrue(engine.container(b1.ref()).getState().getRunning(), "the other cluster is untouched");
        assertEquals(1, engine.networksNamed("ef-" + b).size());
        assertNotNull(engine.container(plain), "a container without our labels is never removed");
        assertEquals(
                List.of(b1.ref()), driver.list().stream().map(NodeStatus::ref).toList());
    }

    @Test
    void watchReportsANodeKilledFromOutsideAlsoWhileItsStreamWasCut(@TempDir Path dir) throws Exception {
        assumeUnixSocket();
        String cluster = cluster();
        BlockingQueue<NodeStatus> seen = new LinkedBlockingQueue<>();
        NodeStatus node = driver.create(spec(cluster, "n1"), "cmd-1");
        Path socket = dir.resolve("docker.sock");
        try (CuttableRelay cutter =
                        CuttableRelay.unix(socket, Path.of(DockerEngine.HOST.substring("unix://".length())));
                DockerNodeDriver watching = new DockerNodeDriver("unix://" + socket, tenant)) {
            watching.watch(seen::add);
            awaitConnections(watching, 1);

            engine.client.killContainerCmd(node.ref()).exec();
            NodeStatus down = awaitStatus(seen, node.ref(), s -> s.state() != NodeState.RUNNING);
            assertEquals(
                    List.of(cluster, "pool-a", "n1", "cmd-1"),
                    List.of(down.clusterId(), down.poolName(), down.nodeId(), down.commandId()));
            assertEquals(NodeState.FAILED, down.state(), down::toString);

            // the stream is cut (like an engine restart) while the node is started and removed from outside:
            // reopened with "since", it replays those events
            cutter.refuse(true);
            cutter.cut();
            engine.client.startContainerCmd(node.ref()).exec();
            engine.client.removeContainerCmd(node.ref()).withForce(true).exec();
            // deliberate: the watcher's reconnects are refused a while, so it can get these events by replay only
            Thread.sleep(300);
            cutter.refuse(false);
            NodeStatus gone = awaitStatus(seen, node.ref(), s -> s.state() == NodeState.DELETED);
            assertEquals(List.of(cluster, "n1"), List.of(gone.clusterId(), gone.nodeId()));
            assertTrue(watching.eventStreamConnections() >= 2, "reconnected");
        }
    }

    private static void assumeUnixSocket() {
        assertTrue(
                DockerEngine.HOST.startsWith("unix://"),
                "the watch test cuts a unix socket; DOCKER_HOST=" + DockerEngine.HOST);
    }

    private static void awaitConnections(DockerNodeDriver driver, int n) throws InterruptedException {
        assertTrue(
                Eventually.holds(
                        Duration.ofSeconds(10), Duration.ofMillis(50), () -> driver.eventStreamConnections() >= n),
                "event stream not connected");
    }

    private static NodeStatus awaitStatus(BlockingQueue<NodeStatus> seen, String ref, Predicate<NodeStatus> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<NodeStatus> others = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            NodeStatus s = seen.poll(200, TimeUnit.MILLISECONDS);
            if (s != null && ref.equals(s.ref()) && wanted.test(s)) {
                return s;
            }
            if (s != null) {
                others.add(s);
            }
        }
        return fail("no such status for " + ref + "; seen: " + others);
    }

    @Test
    void hostileInputIsRejectedBeforeAnythingIsCreated() {
        String cluster = cluster();
        List<NodeSpec> hostile = List.of(
                spec("a;rm -rf", "n1"),
                spec(cluster, "Node1"),
                spec(cluster, "a/b"),
                spec(cluster, "n1", "bad_host!", List.of(), Map.of(), Map.of()),
                spec(
                        cluster,
                        "n1",
                        null,
                        List.of(new NodeSpec.NodeFile("../etc/passwd", "x", null, null)),
                        Map.of(),
                        Map.of()),
                spec(
                        cluster,
                        "n1",
                        null,
                        List.of(new NodeSpec.NodeFile("/etc/../etc/passwd", "x", null, null)),
                        Map.of(),
                        Map.of()),
                spec(
                        cluster,
                        "n1",
                        null,
                        List.of(new NodeSpec.NodeFile("/etc/x\0y", "x", null, null)),
                        Map.of(),
                        Map.of()),
                spec(
                        cluster,
                        "n1",
                        null,
                        List.of(new NodeSpec.NodeFile("/etc/x", "x", "bob", null)),
                        Map.of(),
                        Map.of()),
                spec(
                        cluster,
                        "n1",
                        null,
                        List.of(new NodeSpec.NodeFile("/etc/x", "x", null, "rwx")),
                        Map.of(),
                        Map.of()),
                spec(cluster, "n1", null, List.of(), Map.of("A=B", "x"), Map.of()),
                spec(cluster, "n1", null, List.of(), Map.of("A", "x\ny"), Map.of()),
                spec(cluster, "n1", null, List.of(), Map.of(), Map.of("tier", "gold\nio.edgefleet.managed=true")),
                spec(cluster, "n1", null, List.of(), Map.of(), Map.of("bad key", "x")),
                new NodeSpec(
                        cluster,
                        "pool-a",
                        "n1",
                        NodeRole.WORKER,
                        null,
                        new NodeSpec.Resources(1, 64, 10, "0-3;x"),
                        DockerEngine.NODE_IMAGE,
                        null,
                        List.of(),
                        Map.of(),
                        List.of(),
                        Map.of()),
                new NodeSpec(
                        cluster,
                        "pool-a",
                        "n1",
                        NodeRole.WORKER,
                        null,
                        null,
                        "img --privileged",
                        null,
                        List.of(),
                        Map.of(),
                        List.of(),
                        Map.of()),
                new NodeSpec(
                        cluster,
                        "pool-a",
                        "n1",
                        NodeRole.WORKER,
                        null,
                        null,
                        DockerEngine.NODE_IMAGE,
                        null,
                        List.of("ssh-ed25519 AAAA\nssh-rsa BBBB"),
                        Map.of(),
                        List.of(),
                        Map.of()),
                new NodeSpec(
                        cluster,
                        "Pool A",
                        "n1",
                        NodeRole.WORKER,
                        null,
                        null,
                        DockerEngine.NODE_IMAGE,
                        null,
                        List.of(),
                        Map.of(),
                        List.of(),
                        Map.of()));
        for (NodeSpec spec : hostile) {
            assertThrows(NodeDriverException.class, () -> driver.create(spec, "cmd-1"), spec::toString);
        }
        assertThrows(NodeDriverException.class, () -> driver.create(spec(cluster, "n1"), "cmd\n1"));
        assertThrows(NodeDriverException.class, () -> driver.start("a;rm -rf", "n1"));
        assertThrows(NodeDriverException.class, () -> driver.stop(cluster, "../n1"));
        assertThrows(NodeDriverException.class, () -> driver.delete(cluster, "N1"));
        assertThrows(NodeDriverException.class, () -> driver.inspect(cluster, "n1 "));
        assertThrows(NodeDriverException.class, () -> driver.cleanupCluster("$(reboot)"));

        assertEquals(
                List.of(),
                engine.client
                        .listContainersCmd()
                        .withShowAll(true)
                        .withLabelFilter(Map.of(NodeNames.TENANT, tenant))
                        .exec(),
                "no container was created");
        assertEquals(List.of(), engine.networksNamed("ef-" + cluster), "no network was created");
    }

    @Test
    void aNodeThatCannotBeCompletedLeavesNothingBehind() {
        String cluster = cluster();
        // /tmp is a directory in the image: the engine refuses to replace it with a file, after the create
        NodeSpec spec =
                spec(cluster, "n1", null, List.of(new NodeSpec.NodeFile("/tmp", "x", null, null)), Map.of(), Map.of());
        NodeDriverException e = assertThrows(NodeDriverException.class, () -> driver.create(spec, "cmd-1"));
        assertTrue(e.getMessage().contains("ef-" + cluster + "-n1"), e::getMessage);
        assertEquals(List.of(), engine.containersNamed("ef-" + cluster + "-n1"));
        assertEquals(List.of(), engine.networksNamed("ef-" + cluster));
    }

    @Test
    void aMissingEngineIsAClearError() {
        try (DockerNodeDriver nowhere = new DockerNodeDriver("unix:///nonexistent/docker.sock", tenant)) {
            NodeDriverException e = assertThrows(NodeDriverException.class, () -> nowhere.list());
            assertTrue(e.getMessage().contains("unix:///nonexistent/docker.sock"), e::getMessage);
        }
    }
}
