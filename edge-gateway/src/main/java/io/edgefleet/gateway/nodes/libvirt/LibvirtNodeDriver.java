package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.NodeConsole;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.inventory.LibvirtInventorySource;
import io.edgefleet.gateway.nodes.ConsoleText;
import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeNames;
import io.edgefleet.gateway.nodes.NodeSpecChecks;
import org.jboss.logging.Logger;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.jna.Libvirt;
import org.w3c.dom.Element;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.code;
import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.message;

/**
 * Virtualized cluster nodes: one libvirt domain per node, with a root disk cloned from a base image
 * volume, an optional data disk, one virtio interface on a libvirt network or a host bridge, and a
 * bootstrap document (ssh keys, env, files) handed to the guest as a QEMU fw_cfg entry (only there: the metadata keeps
 * its hash).
 * <p>
 * A domain is the driver's only when its {@code <metadata>} carries an {@code <ef:node>} element of
 * this driver's tenant ({@link NodeMetadata}, {@link NodeDomains}); the driver never changes or removes
 * any other domain. The metadata also names the node's volumes ({@link NodeVolumes}), so deleting needs
 * no other state.
 * <p>
 * Threading: one libvirt connection per driver ({@link LibvirtConnection}); operations that change
 * something are serialized by a lock, reads are not. {@link #watch} starts the {@link DomainEventWatch};
 * listeners must not block for long.
 * <p>
 * When libvirtd goes away (restart, package upgrade), the next operation opens a new connection; while
 * someone watches, the driver reconnects by itself (every 2 s until it succeeds) and then reports every
 * node as it is, since events may have been missed meanwhile.
 */
public final class LibvirtNodeDriver implements NodeDriver, LibvirtInventorySource {

    private static final Logger LOG = Logger.getLogger(LibvirtNodeDriver.class);
    private static final Set<String> DOMAIN_TYPES = Set.of("kvm", "qemu", "test");
    private static final Set<String> CPU_MODES = Set.of("host-passthrough", "host-model");
    /** libvirt prints every error to stderr unless a handler is set; the driver reports them as exceptions instead. */
    private static final Libvirt.VirErrorCallback QUIET_ERRORS =
            (userData, error) -> LOG.tracef("libvirt: %s", error == null ? "?" : error.message);

    /**
     * @param shutdownTimeout how long {@link #stop} waits for the guest to power off after the ACPI request
     *                        before it pulls the plug (default 20 s)
     * @param domainType      null: {@code kvm} when the host offers it, else {@code qemu} (or {@code test} for
     *                        libvirt's test driver); or one of those to force it
     * @param cpuMode         null: the hypervisor's default CPU model (qemu64: boots everywhere, but lacks
     *                        x86-64-v2 features some distributions need); {@code host-passthrough} or
     *                        {@code host-model}: the host's CPU features, the right choice on bare-metal
     *                        appliances, but refused by nested KVM hosts such as this project's CI machines
     *                        ("failed to set MSR 0x10a")
     * @param readyTimeout    how long {@link #awaitReady} waits for a started guest to answer and apply its bootstrap
     *                        (default 10 min: software emulation boots slowly)
     */
    public record Options(Duration shutdownTimeout, String domainType, String cpuMode, Duration readyTimeout) {
        public Options {
            shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(20) : shutdownTimeout;
            if (shutdownTimeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative");
            }
            readyTimeout = readyTimeout == null ? Duration.ofMinutes(10) : readyTimeout;
            if (readyTimeout.isNegative()) {
                throw new IllegalArgumentException("readyTimeout must not be negative");
            }
            if (domainType != null && !DOMAIN_TYPES.contains(domainType)) {
                throw new IllegalArgumentException("domainType must be one of " + DOMAIN_TYPES);
            }
            if (cpuMode != null && !CPU_MODES.contains(cpuMode)) {
                throw new IllegalArgumentException("cpuMode must be one of " + CPU_MODES);
            }
        }

        public Options(Duration shutdownTimeout, String domainType, String cpuMode) {
            this(shutdownTimeout, domainType, cpuMode, null);
        }

        public static Options defaults() {
            return new Options(null, null, null, null);
        }
    }

    private final String tenant;
    private final Options options;
    private final LibvirtConnection connection;
    private final String domainType;
    private final int hostCpus;
    private final NodeDomains domains;
    private final NodeVolumes volumes;
    private final DomainEventWatch events;
    private final ReentrantLock lock = new ReentrantLock();
    private static final Duration POOL_CHECK_INTERVAL = Duration.ofMinutes(1);
    private final Map<String, Checked> poolChecks = new ConcurrentHashMap<>();

    /** See {@link #LibvirtNodeDriver(String, String, Options)}, with default options. */
    public LibvirtNodeDriver(String uri, String tenant) throws NodeDriverException {
        this(uri, tenant, Options.defaults());
    }

    /**
     * Opens a read-write connection to libvirt.
     *
     * @param uri    e.g. {@code qemu:///system}, {@link LibvirtUri#qemuSsh} for a remote host, or
     *               {@code test:///abs/path/node.xml} (libvirt's in-process test driver)
     * @param tenant the tenant this gateway works for; written into every domain and required on every
     *               domain the driver touches
     */
    public LibvirtNodeDriver(String uri, String tenant, Options options) throws NodeDriverException {
        if (uri == null || uri.isBlank()) {
            throw new NodeDriverException("libvirt connection URI is missing");
        }
        try {
            this.tenant = DomainSpecChecks.tenant(tenant);
        } catch (IllegalArgumentException e) {
            throw new NodeDriverException(e.getMessage(), e);
        }
        this.options = options == null ? Options.defaults() : options;
        try {
            Connect.setErrorCallback(QUIET_ERRORS);
            EventLoop.acquire(); // before connecting: a remote connection hooks into the loop when it opens
        } catch (LibvirtException e) {
            throw new NodeDriverException("cannot set up libvirt's event loop: " + message(e), e);
        }
        LibvirtConnection opened = null;
        try {
            opened = new LibvirtConnection(uri);
            Connect c = opened.current();
            this.domainType = chooseDomainType(c.getCapabilities(), this.options.domainType());
            NodeInfo node = c.nodeInfo();
            this.hostCpus = Math.max(node.cpus, node.maxCpus());
        } catch (LibvirtException | NodeDriverException | RuntimeException e) {
            if (opened != null) {
                LibvirtConnection.closeQuietly(opened.current());
            }
            EventLoop.release();
            throw new NodeDriverException(
                    "cannot use libvirt at " + LibvirtConnection.redact(uri) + ": "
                            + (e instanceof LibvirtException le ? message(le) : e.getMessage()),
                    e);
        }
        this.connection = opened;
        this.domains = new NodeDomains(connection, this.tenant);
        this.volumes = new NodeVolumes(connection);
        this.events = new DomainEventWatch(connection, domains, this::list);
        connection.onClosedByLibvirt(events::connectionLost);
        LOG.infof(
                "libvirt node driver on %s: domain type %s, %d host CPUs",
                LibvirtConnection.redact(uri), domainType, hostCpus);
    }

    /** The domain type new nodes get: kvm, qemu or test. */
    public String domainType() {
        return domainType;
    }

    /** The connection, for tests in this package (the test driver's state lives in it). */
    Connect connection() {
        return connection.current();
    }

    // ---------------------------------------------------------------------------------------------- create

    @Override
    public NodeStatus create(NodeSpec spec, String commandId) throws NodeDriverException {
        String name;
        try {
            DomainSpecChecks.spec(spec);
            DomainSpecChecks.commandId(commandId);
            name = NodeNames.nodeName(spec.clusterId(), spec.nodeId());
        } catch (IllegalArgumentException e) {
            throw invalid(e);
        }
        lock.lock();
        try {
            ensureOpen();
            Domain existing = domains.find(name);
            if (existing != null) {
                return adopt(existing, name, spec);
            }
            return createNew(spec, commandId, name);
        } catch (LibvirtException e) {
            throw new NodeDriverException("creating node " + name + " failed: " + message(e), e);
        } finally {
            lock.unlock();
        }
    }

    /** The domain exists: ours and the same node → make sure it runs; anything else → refuse, touch nothing. */
    private NodeStatus adopt(Domain existing, String name, NodeSpec spec) throws LibvirtException, NodeDriverException {
        NodeMetadata meta = domains.owned(existing, name, spec.clusterId(), spec.nodeId());
        if (existing.isActive() == 0) {
            LOG.infof("node %s exists and is not running: starting it", name);
            existing.create();
        }
        events.remember(existing, meta);
        return DomainStates.of(existing, meta, "adopted the existing domain");
    }

    private NodeStatus createNew(NodeSpec spec, String commandId, String name)
            throws LibvirtException, NodeDriverException {
        NodeSpec.VirtualPlacement p = spec.placement();
        NodeSpec.Resources r = spec.resources();

        // everything that can be checked is checked before anything is created
        if (r.cpuSet() != null && NodeSpecChecks.cpuSet(r.cpuSet()) >= hostCpus) {
            throw new NodeDriverException(
                    "cpu set " + r.cpuSet() + " names CPUs this host does not have (it has " + hostCpus + ")");
        }
        StoragePool images = volumes.pool(p.imagePool());
        StoragePool target = volumes.pool(p.targetPool());
        StoragePool dataPool = p.dataDiskGb() > 0 ? volumes.pool(p.dataPool()) : null;
        requireReachable(name, target, dataPool);
        StorageVol base = NodeVolumes.find(images, spec.image());
        if (base == null) {
            throw new NodeDriverException(
                    "base image volume '" + spec.image() + "' not found in storage pool '" + p.imagePool() + "'");
        }
        long rootBytes = r.rootDiskGb() * DomainXml.GIB;
        long baseBytes = base.getInfo().capacity;
        if (rootBytes < baseBytes) {
            throw new NodeDriverException("root disk of " + r.rootDiskGb() + " GiB is smaller than the base image '"
                    + spec.image() + "' (" + baseBytes + " bytes)");
        }
        if ("network".equals(p.networkType())) {
            domains.requireNetwork(p.networkName());
        }
        String hostname = spec.hostname() != null ? spec.hostname() : spec.nodeId();
        String bootstrap;
        try {
            bootstrap = Bootstrap.json(spec, hostname);
        } catch (IllegalArgumentException e) {
            throw invalid(e);
        }
        NodeMetadata meta = new NodeMetadata(
                tenant,
                spec.clusterId(),
                spec.poolName(),
                spec.nodeId(),
                commandId,
                spec.role(),
                hostname,
                new NodeMetadata.VolumeRef(p.targetPool(), name + "-root"),
                dataPool == null ? null : new NodeMetadata.VolumeRef(p.dataPool(), name + "-data"),
                spec.labels() == null ? Map.of() : new TreeMap<>(spec.labels()),
                NodeReadiness.sha256(bootstrap));

        // volumes first (found by name: a crash before the domain was defined left them for us), then the domain
        List<StorageVol> createdHere = new ArrayList<>();
        Domain domain;
        try {
            StorageVol root = volumes.root(images, target, base, meta.root(), rootBytes, createdHere);
            StorageVol data = dataPool == null
                    ? null
                    : volumes.data(dataPool, meta.data(), p.dataDiskGb() * DomainXml.GIB, createdHere);
            String xml = DomainXml.domain(
                    domainType,
                    options.cpuMode(),
                    name,
                    spec,
                    meta,
                    new DomainXml.Disk(p.targetPool(), meta.root().name(), NodeVolumes.format(root)),
                    data == null
                            ? null
                            : new DomainXml.Disk(p.dataPool(), meta.data().name(), NodeVolumes.format(data)),
                    bootstrap,
                    ConsoleLog.path(target, name));
            domain = domains.define(xml);
        } catch (LibvirtException | RuntimeException e) {
            NodeVolumes.removeQuietly(createdHere);
            if (e instanceof IllegalArgumentException iae) {
                throw invalid(iae);
            }
            throw e;
        }
        events.remember(domain, meta);
        autostart(domain, name, true);
        try {
            domain.create();
        } catch (LibvirtException e) {
            // a node that cannot start is not left behind, shut off with its disks: the next attempt makes it again
            removeUnstarted(domain, meta, name);
            throw new NodeDriverException(unstartable(name, p, message(e)), e);
        }
        LOG.infof("node %s created (%s, %d vCPU, %d MiB)", name, domainType, r.cpus(), r.memoryMb());
        return DomainStates.of(domain, meta, "created");
    }

    /**
     * Pre-flight: QEMU's user must be able to enter the directories of the pools the node's disks go to
     * ({@link PoolReach}); else refuse before anything is made, saying which directory and what to change. libvirt's
     * test driver runs no QEMU.
     */
    private void requireReachable(String name, StoragePool target, StoragePool dataPool)
            throws LibvirtException, NodeDriverException {
        if ("test".equals(domainType)) {
            return;
        }
        DirectoryAccess.QemuUser qemu = PoolReach.qemuUser(connection.live(), domainType);
        if (qemu == null) {
            return; // no DAC security driver: QEMU runs as libvirtd does
        }
        String why = PoolReach.unreachable(target, "target storage pool (targetPool)", qemu);
        if (why == null && dataPool != null) {
            why = PoolReach.unreachable(dataPool, "data storage pool (dataPool)", qemu);
        }
        if (why != null) {
            throw new NodeDriverException(
                    "node " + name + " cannot be created on this appliance: " + why + ". Nothing was created.");
        }
    }

    private void removeUnstarted(Domain domain, NodeMetadata meta, String name) {
        try {
            String uuid = domain.getUUIDString();
            volumes.delete(meta.root());
            volumes.delete(meta.data());
            deleteConsoleLog(meta, name);
            NodeDomains.undefine(domain);
            events.deleted(uuid);
        } catch (LibvirtException e) {
            LOG.warnf("node %s did not start and could not be removed again: %s", name, message(e));
        }
    }

    /**
     * Why the domain did not start, and what to change where the reason is known: QEMU runs as its own user
     * ({@code libvirt-qemu} on Debian), which must reach the disks in the pools' directories.
     */
    static String unstartable(String name, NodeSpec.VirtualPlacement p, String libvirtMessage) {
        String because = "node " + name + " did not start: " + libvirtMessage;
        if (!libvirtMessage.contains("Permission denied")) {
            return because + " (the domain and its volumes were removed again)";
        }
        return because + ". QEMU runs as its own user (libvirt-qemu on Debian, 'user' in /etc/libvirt/qemu.conf) and"
                + " cannot open the node's disks: the directory of storage pool '" + p.targetPool() + "'"
                + (p.dataDiskGb() > 0 ? " (and of pool '" + p.dataPool() + "')" : "")
                + " and every directory above it must be searchable by that user (chmod o+x, or keep pools under"
                + " /var/lib/libvirt/images). The domain and its volumes were removed again.";
    }

    // ------------------------------------------------------------------------------------ start, stop, delete

    /**
     * libvirtd starts autostart domains when the host boots: a node comes back with the appliance after a power cut,
     * before and without the gateway; one the management plane stopped does not (as Docker's {@code unless-stopped}).
     */
    private static void autostart(Domain d, String name, boolean on) {
        try {
            d.setAutostart(on);
        } catch (LibvirtException e) {
            LOG.debugf("autostart of %s not set to %s: %s", name, on, message(e));
        }
    }

    @Override
    public NodeStatus start(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        lock.lock();
        try {
            ensureOpen();
            Domain d = domains.require(name);
            NodeMetadata meta = domains.owned(d, name, clusterId, nodeId);
            if (d.isActive() == 0) {
                d.create();
            }
            autostart(d, name, true);
            return DomainStates.of(d, meta, "started");
        } catch (LibvirtException e) {
            throw new NodeDriverException("starting node " + name + " failed: " + message(e), e);
        } finally {
            lock.unlock();
        }
    }

    /** ACPI shutdown, then, after {@link Options#shutdownTimeout()}, a hard power-off. */
    @Override
    public NodeStatus stop(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        lock.lock();
        try {
            ensureOpen();
            Domain d = domains.require(name);
            NodeMetadata meta = domains.owned(d, name, clusterId, nodeId);
            autostart(d, name, false);
            return DomainStates.of(d, meta, NodeDomains.stop(d, name, options.shutdownTimeout()));
        } catch (LibvirtException e) {
            throw new NodeDriverException("stopping node " + name + " failed: " + message(e), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public NodeStatus delete(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        lock.lock();
        try {
            ensureOpen();
            return deleteLocked(name, clusterId, nodeId);
        } catch (LibvirtException e) {
            throw new NodeDriverException("deleting node " + name + " failed: " + message(e), e);
        } finally {
            lock.unlock();
        }
    }

    private NodeStatus deleteLocked(String name, String clusterId, String nodeId)
            throws LibvirtException, NodeDriverException {
        Domain d = domains.find(name);
        if (d == null) {
            return new NodeStatus(
                    clusterId, null, nodeId, NodeState.DELETED, null, null, null, "no such node", Instant.now());
        }
        NodeMetadata meta = domains.owned(d, name, clusterId, nodeId);
        String uuid = d.getUUIDString();
        if (d.isActive() == 1) {
            NodeDomains.destroy(d);
        }
        // volumes before the definition: if the gateway dies in between, the domain and its metadata
        // (which names the volumes) are still there for the next attempt
        volumes.delete(meta.root());
        volumes.delete(meta.data());
        deleteConsoleLog(meta, name);
        NodeDomains.undefine(d);
        events.deleted(uuid);
        LOG.infof("node %s deleted with its volumes", name);
        return new NodeStatus(
                meta.clusterId(),
                meta.poolName(),
                meta.nodeId(),
                NodeState.DELETED,
                uuid,
                null,
                meta.commandId(),
                "domain and volumes deleted",
                Instant.now());
    }

    private void deleteConsoleLog(NodeMetadata meta, String name) throws LibvirtException {
        if (meta.root() == null) {
            return;
        }
        try {
            ConsoleLog.delete(volumes.pool(meta.root().pool()), name);
        } catch (NodeDriverException poolGone) {
            LOG.warnf("console log of %s not removed: %s", name, poolGone.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------- readiness

    /**
     * Waits until the started guest is ready: its guest agent answers and it applied this domain's bootstrap
     * ({@link NodeReadiness}). Not under the driver's lock: other operations go on meanwhile. libvirt's test driver
     * runs no guest, so its domains are ready once they run.
     *
     * @throws NodeDriverException when the node is not ready within {@link Options#readyTimeout()} or stopped, with the
     *                             reason and the console's last lines
     */
    @Override
    public NodeStatus awaitReady(NodeStatus started, Consumer<String> progress) throws NodeDriverException {
        if (started == null || started.state() != NodeState.RUNNING || "test".equals(domainType)) {
            return started;
        }
        String name = name(started.clusterId(), started.nodeId());
        ensureOpen();
        try {
            Domain d = domains.require(name);
            NodeMetadata meta = domains.owned(d, name, started.clusterId(), started.nodeId());
            if (meta.bootstrapSha256() == null) {
                return started; // a domain without a bootstrap entry has nothing to apply
            }
            NodeReadiness.await(
                    d,
                    name,
                    meta.bootstrapSha256(),
                    options.readyTimeout(),
                    progress,
                    lines -> consoleTail(meta, name, lines));
            return DomainStates.of(d, meta, "ready: the guest agent answers and the bootstrap was applied");
        } catch (LibvirtException e) {
            throw new NodeDriverException("waiting for node " + name + " failed: " + message(e), e);
        }
    }

    /**
     * The serial console's last lines, from the log libvirt keeps in the target pool ({@link ConsoleLog}); none when the
     * node has not printed anything yet. Not under the driver's lock: it only reads, also while a create waits for the
     * guest to boot.
     */
    @Override
    public NodeConsoleTail console(String clusterId, String nodeId, int lines, int maxBytes)
            throws NodeDriverException {
        String name = name(clusterId, nodeId);
        ensureOpen();
        try {
            NodeMetadata meta = domains.owned(domains.require(name), name, clusterId, nodeId);
            if (meta.root() == null) {
                throw new NodeDriverException("node " + name + " has no root disk: no console log to read");
            }
            StoragePool pool = volumes.pool(meta.root().pool());
            if (ConsoleLog.path(pool, name) == null) {
                throw new NodeDriverException("the serial console of node " + name + " is not logged: its target pool "
                        + pool.getName() + " is not a directory pool (dir, fs, netfs)");
            }
            // escape sequences make the raw text longer than the lines it yields: read twice the limit
            List<String> all = ConsoleLog.tail(pool, name, lines, Math.max(ConsoleLog.TAIL_BYTES, 2 * maxBytes));
            return new NodeConsoleTail(NodeConsole.Source.SERIAL_CONSOLE, ConsoleText.last(all, lines, maxBytes));
        } catch (LibvirtException e) {
            throw new NodeDriverException("reading the console of node " + name + " failed: " + message(e), e);
        }
    }

    private List<String> consoleTail(NodeMetadata meta, String name, int lines) {
        if (meta.root() == null) {
            return List.of();
        }
        try {
            return ConsoleLog.tail(volumes.pool(meta.root().pool()), name, lines);
        } catch (LibvirtException | NodeDriverException e) {
            return List.of();
        }
    }

    @Override
    public Optional<NodeStatus> inspect(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        ensureOpen();
        try {
            Domain d = domains.find(name);
            if (d == null) {
                return Optional.empty();
            }
            Optional<NodeMetadata> meta = domains.ours(d)
                    .filter(m -> m.clusterId().equals(clusterId) && m.nodeId().equals(nodeId));
            if (meta.isEmpty()) {
                return Optional.empty();
            }
            events.remember(d, meta.get());
            return Optional.of(DomainStates.of(d, meta.get(), null));
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return Optional.empty();
            }
            throw new NodeDriverException("inspecting node " + name + " failed: " + message(e), e);
        }
    }

    @Override
    public List<NodeStatus> list() throws NodeDriverException {
        ensureOpen();
        List<NodeStatus> nodes = new ArrayList<>();
        try {
            for (Domain d : domains.all()) {
                try {
                    Optional<NodeMetadata> meta = domains.ours(d);
                    if (meta.isPresent()) {
                        events.remember(d, meta.get());
                        nodes.add(DomainStates.of(d, meta.get(), null));
                    }
                } catch (LibvirtException e) {
                    if (code(e) != Error.ErrorNumber.VIR_ERR_NO_DOMAIN) { // removed while we looked: not there
                        throw e;
                    }
                }
            }
        } catch (LibvirtException e) {
            throw new NodeDriverException("listing nodes failed: " + message(e), e);
        }
        return nodes;
    }

    @Override
    public void cleanupCluster(String clusterId) throws NodeDriverException {
        try {
            NodeNames.checkId(clusterId, "cluster id");
        } catch (IllegalArgumentException e) {
            throw invalid(e);
        }
        lock.lock();
        try {
            ensureOpen();
            List<String> failures = new ArrayList<>();
            Set<String> nodeIds = new LinkedHashSet<>();
            for (Domain d : domains.all()) {
                try {
                    domains.ours(d)
                            .filter(m -> m.clusterId().equals(clusterId))
                            .ifPresent(m -> nodeIds.add(m.nodeId()));
                } catch (LibvirtException e) {
                    if (code(e) != Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                        throw e;
                    }
                }
            }
            for (String nodeId : nodeIds) {
                try {
                    deleteLocked(NodeNames.nodeName(clusterId, nodeId), clusterId, nodeId);
                } catch (LibvirtException | NodeDriverException e) {
                    failures.add(nodeId + ": " + (e instanceof LibvirtException le ? message(le) : e.getMessage()));
                }
            }
            if (!failures.isEmpty()) {
                throw new NodeDriverException(
                        "cleanup of cluster " + clusterId + " left nodes behind: " + String.join("; ", failures));
            }
            LOG.infof("cluster %s cleaned up: %d node(s) deleted", clusterId, nodeIds.size());
        } catch (LibvirtException e) {
            throw new NodeDriverException("cleanup of cluster " + clusterId + " failed: " + message(e), e);
        } finally {
            lock.unlock();
        }
    }

    /** See {@link HostInventory}. */
    @Override
    public Inventory.Libvirt libvirtInventory() {
        return HostInventory.read(connection, this::unusable);
    }

    private record Checked(long atNanos, String unusable) {}

    /**
     * For the inventory: why QEMU's user could not use the pool ({@link PoolReach}), so that cluster-service's
     * pre-flight refuses it before it sends a command. At most once a minute per pool (each check looks at every
     * directory above the pool's through a transient pool), and never with the test driver (no QEMU).
     */
    private String unusable(StoragePool pool) throws LibvirtException {
        if ("test".equals(domainType)) {
            return null;
        }
        String name = pool.getName();
        Checked last = poolChecks.get(name);
        if (last != null && System.nanoTime() - last.atNanos() < POOL_CHECK_INTERVAL.toNanos()) {
            return last.unusable();
        }
        DirectoryAccess.QemuUser qemu = PoolReach.qemuUser(connection.live(), domainType);
        String why = qemu == null ? null : PoolReach.unreachable(pool, "storage pool", qemu);
        poolChecks.put(name, new Checked(System.nanoTime(), why));
        return why;
    }

    /**
     * Access through the node's QEMU guest agent (see {@link GuestNodeAccess}); the calls fail with a clear
     * reason when the node's image does not run the agent.
     */
    @Override
    public NodeAccess access(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        ensureOpen();
        try {
            Domain d = domains.require(name);
            NodeMetadata meta = domains.owned(d, name, clusterId, nodeId);
            events.remember(d, meta);
            return new GuestNodeAccess(d, name, DomainStates.of(d, meta, null), DomainStates.facts(d, meta), () -> {
                try {
                    return DomainStates.of(d, meta, "rebooted by the gateway");
                } catch (LibvirtException e) {
                    throw new NodeDriverException("inspecting node " + name + " failed: " + message(e), e);
                }
            });
        } catch (LibvirtException e) {
            throw new NodeDriverException("entering node " + name + " failed: " + message(e), e);
        }
    }

    /** See {@link DomainEventWatch}. */
    @Override
    public void watch(Consumer<NodeStatus> listener) {
        events.add(listener);
    }

    /** Removes the event listener, stops event handling, closes the connection and releases the event loop. */
    @Override
    public void close() {
        if (!connection.markClosed()) {
            return;
        }
        events.close();
        lock.lock(); // a running operation finishes on the connection first
        try {
            connection.close();
        } finally {
            lock.unlock();
            EventLoop.release();
        }
    }

    /**
     * kvm when the host offers it for its own architecture, else qemu, else what there is (libvirt's test
     * driver offers only "test"); a forced type must be on offer.
     */
    static String chooseDomainType(String capabilitiesXml, String forced) throws NodeDriverException {
        Element caps = Xml.parse(capabilitiesXml).getDocumentElement();
        Element hostArch = Xml.path(caps, "host", "cpu", "arch");
        String arch = hostArch == null ? "" : hostArch.getTextContent().trim();
        Set<String> forHostArch = new LinkedHashSet<>();
        Set<String> any = new LinkedHashSet<>();
        for (Element guest : Xml.children(caps, null, "guest")) {
            if (!"hvm".equals(Xml.childText(guest, null, "os_type"))) {
                continue;
            }
            for (Element a : Xml.children(guest, null, "arch")) {
                for (Element domain : Xml.children(a, null, "domain")) {
                    String type = domain.getAttribute("type");
                    any.add(type);
                    if (arch.equals(a.getAttribute("name"))) {
                        forHostArch.add(type);
                    }
                }
            }
        }
        if (forced != null) {
            if (!any.contains(forced)) {
                throw new NodeDriverException(
                        "domain type " + forced + " is not offered by this host (it offers " + any + ")");
            }
            return forced;
        }
        Set<String> offered = forHostArch.isEmpty() ? any : forHostArch;
        for (String preferred : List.of("kvm", "qemu")) {
            if (offered.contains(preferred)) {
                return preferred;
            }
        }
        if (offered.isEmpty()) {
            throw new NodeDriverException("this libvirt host offers no hvm guests");
        }
        return offered.iterator().next();
    }

    private String name(String clusterId, String nodeId) throws NodeDriverException {
        try {
            return NodeNames.nodeName(clusterId, nodeId);
        } catch (IllegalArgumentException e) {
            throw invalid(e);
        }
    }

    private void ensureOpen() throws NodeDriverException {
        if (connection.isClosed()) {
            throw new NodeDriverException("the libvirt node driver is closed");
        }
    }

    private static NodeDriverException invalid(IllegalArgumentException e) {
        return new NodeDriverException("invalid node request: " + e.getMessage(), e);
    }
}
