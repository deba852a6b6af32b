package io.edgefleet.gateway.tasks;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.proxy.ProxyRoutes;
import io.edgefleet.gateway.state.LocalStore;

import java.net.ProxySelector;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The policy commands on one node (scan, backup, restore, patch): checks the payload against the command
 * type, finds the node and hands it to the class of that task. Every task is safe to run again, as the
 * command executor does after a gateway crash.
 */
public final class NodeTasks {

    public static final Set<String> TYPES =
            Set.of(EventTypes.SCAN_NODE, EventTypes.BACKUP_NODE, EventTypes.RESTORE_NODE, EventTypes.PATCH_NODE);

    private final NodeDriver driver;
    private final NodeSpecs specs;
    private final ConfigurationScan configurationScan;
    private final PenetrationScan penetrationScan = new PenetrationScan();
    private final NodeBackup backup;
    private final NodeRestore restore;
    private final NodePatch patch = new NodePatch();

    /**
     * @param nodeDefaults what the gateway adds to every node's spec (the conformance scan compares with it)
     * @param workDir      where archives wait on their way to or from the object store
     */
    public NodeTasks(NodeDriver driver, LocalStore store, UnaryOperator<NodeSpec> nodeDefaults, Path workDir) {
        this(driver, store, nodeDefaults, workDir, ProxyRoutes.DIRECT.selector());
    }

    /** @param proxies how the object store is reached (the installer's proxies and --no-proxy) */
    public NodeTasks(
            NodeDriver driver,
            LocalStore store,
            UnaryOperator<NodeSpec> nodeDefaults,
            Path workDir,
            ProxySelector proxies) {
        this.driver = driver;
        this.specs = new NodeSpecs(store, nodeDefaults);
        this.configurationScan = new ConfigurationScan(specs);
        TempFiles temp = new TempFiles(workDir);
        ObjectStoreClient objectStore = new ObjectStoreClient(proxies);
        this.backup = new NodeBackup(temp, objectStore);
        this.restore = new NodeRestore(temp, objectStore, backup);
    }

    /** @throws TaskFailedException when the task could not be carried out (a scan whose checks fail has run) */
    public TaskResult run(String type, NodeTask task, TaskProgress progress) throws TaskFailedException {
        checkIds(task);
        return switch (type) {
            case EventTypes.SCAN_NODE -> scan(task, part(task.scan(), task, "scan"));
            case EventTypes.BACKUP_NODE ->
                backup.run(running(task), task.clusterId(), part(task.backup(), task, "backup"), progress);
            case EventTypes.RESTORE_NODE -> {
                NodeTask.Restore part = part(task.restore(), task, "restore");
                yield part.stage() == NodeTask.Stage.DISCARD
                        ? restore.discard(
                                task.clusterId(), task.nodeId(), inspect(task).orElse(null))
                        : restore.run(running(task), task.clusterId(), part, progress);
            }
            case EventTypes.PATCH_NODE -> patch.run(running(task), part(task.patch(), task, "patch"), progress);
            default -> throw new TaskFailedException("unknown task type " + type);
        };
    }

    private TaskResult scan(NodeTask task, NodeTask.Scan scan) throws TaskFailedException {
        if (scan.kind() == null) {
            throw new TaskFailedException("scan without a kind (CONFIGURATION_SECURITY, PENETRATION or CONFORMANCE)");
        }
        return switch (scan.kind()) {
            case CONFIGURATION_SECURITY -> {
                NodeAccess node = running(task);
                yield TaskResult.findings(node.status(), configurationScan.run(node, task.clusterId()));
            }
            case PENETRATION -> {
                List<Integer> forbidden = TaskInputs.ports(scan.forbiddenPorts());
                NodeStatus node = inspect(task).orElseThrow(() -> new TaskFailedException(absent(task)));
                yield TaskResult.findings(
                        node, penetrationScan.run(node, forbidden, PortRules.Expectations.of(specs.of(node))));
            }
            case CONFORMANCE -> {
                Optional<NodeStatus> found = inspect(task);
                if (found.isEmpty()) {
                    yield TaskResult.findings(null, ConformanceScan.absent(task.nodeId()));
                }
                NodeSpec spec = specs.of(found.get())
                        .orElseThrow(() -> new TaskFailedException("node " + task.nodeId()
                                + " was not created by this gateway's records (command "
                                + found.get().commandId()
                                + " unknown): there is no spec to compare with"));
                NodeAccess node = access(task);
                yield TaskResult.findings(node.status(), ConformanceScan.run(node, spec));
            }
        };
    }

    private Optional<NodeStatus> inspect(NodeTask task) throws TaskFailedException {
        try {
            return driver.inspect(task.clusterId(), task.nodeId());
        } catch (NodeDriverException e) {
            throw new TaskFailedException(e.getMessage(), e);
        }
    }

    private NodeAccess access(NodeTask task) throws TaskFailedException {
        try {
            return driver.access(task.clusterId(), task.nodeId());
        } catch (NodeDriverException e) {
            throw new TaskFailedException(e.getMessage(), e);
        }
    }

    /** The node, which must be running: the task works inside it. */
    private NodeAccess running(NodeTask task) throws TaskFailedException {
        NodeAccess node = access(task);
        if (node.status().state() != NodeState.RUNNING) {
            throw new TaskFailedException(
                    "node " + task.nodeId() + " is " + node.status().state() + ", not running: start it first");
        }
        return node;
    }

    private static String absent(NodeTask task) {
        return "node " + task.nodeId() + " of cluster " + task.clusterId() + " does not exist on this appliance";
    }

    private static void checkIds(NodeTask task) throws TaskFailedException {
        try {
            NodeNames.checkId(task.clusterId(), "cluster id");
            NodeNames.checkId(task.nodeId(), "node id");
        } catch (IllegalArgumentException e) {
            throw new TaskFailedException(e.getMessage());
        }
    }

    /** The part of the payload for this type, which must be the only part set. */
    private static <T> T part(T part, NodeTask task, String name) throws TaskFailedException {
        long set = Stream.of(task.scan(), task.backup(), task.restore(), task.patch())
                .filter(Objects::nonNull)
                .count();
        if (part == null || set != 1) {
            throw new TaskFailedException(
                    "a " + name + " command needs exactly its '" + name + "' part (found " + set + " parts set)");
        }
        return part;
    }
}
