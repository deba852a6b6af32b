package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.inventory.LibvirtInventorySource;
import io.edgefleet.gateway.nodes.NodeAccess;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.NodeNames;
import org.jboss.logging.Logger;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.DomainInterface;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;
import org.libvirt.StorageVol;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.ConnectionCloseListener;
import org.libvirt.event.ConnectionCloseReason;
import org.libvirt.event.LifecycleListener;
import org.libvirt.jna.Libvirt;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.net.Inet4Address;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Virtualized cluster nodes: one libvirt domain per node, with a root disk cloned from a base image
 * volume, an optional data disk, one virtio interface on a libvirt network or a host bridge, and a
 * bootstrap document (ssh keys, env, files) handed to the guest as a QEMU fw_cfg entry.
 * <p>
 * A domain is the driver's only when its {@code <metadata>} carries an {@code <ef:node>} element of
 * this driver's tenant ({@link NodeMetadata}); the driver never changes or removes any other domain.
 * The metadata also names the node's volumes, so deleting needs no other state.
 * <p>
 * Threading: one libvirt connection per driver; operations that change something are serialized by a
 * lock, reads are not. Lifecycle events arrive on libvirt's event loop thread (shared by the process,
 * see {@link EventLoop}) and are handed to one daemon worker thread, which reads the domain and calls
 * the listeners; listeners must not block for long.
 * <p>
 * When libvirtd goes away (restart, package upgrade), the next operation opens a new connection; while
 * someone watches, the driver reconnects by itself (every 2 s until it succeeds) and then reports every
 * node as it is, since events may have been missed meanwhile.
 */
public final class LibvirtNodeDriver implements NodeDriver, LibvirtInventorySource {

    private static final Logger LOG = Logger.getLogger(LibvirtNodeDriver.class);
    private static final int UNDEFINE_FLAGS = Domain.UndefineFlags.MANAGED_SAVE | Domain.UndefineFlags.SNAPSHOTS_METADATA;
    private static final Set<String> DISK_FORMATS = Set.of("raw", "qcow2", "qed", "vmdk", "vdi", "vpc", "vhdx");
    private static final Set<String> DOMAIN_TYPES = Set.of("kvm", "qemu", "test");
    private static final Set<String> CPU_MODES = Set.of("host-passthrough", "host-model");
    /** libvirt prints every error to stderr unless a handler is set; the driver reports them as exceptions instead. */
    private static final Libvirt.VirErrorCallback QUIET_ERRORS = (userData, error) ->
            LOG.tracef("libvirt: %s", error == null ? "?" : error.message);

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
     */
    public record Options(Duration shutdownTimeout, String domainType, String cpuMode) {
        public Options {
            shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(20) : shutdownTimeout;
            if (shutdownTimeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative");
            }
            if (domainType != null && !DOMAIN_TYPES.contains(domainType)) {
                throw new IllegalArgumentException("domainType must be one of " + DOMAIN_TYPES);
            }
            if (cpuMode != null && !CPU_MODES.contains(cpuMode)) {
                throw new IllegalArgumentException("cpuMode must be one of " + CPU_MODES);
            }
        }

        public static Options defaults() {
            return new Options(null, null, null);
        }
    }

    private final String tenant;
    private final Options options;
    private final String uri;
    /** Replaced when libvirtd went away and came back (restart, upgrade): see {@link #conn()}. */
    private volatile Connect connect;
    private final Object reconnectLock = new Object();
    private final ConnectionCloseListener closeListener = this::onConnectionClosed;
    private final String domainType;
    private final int hostCpus;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Consumer<NodeStatus>> listeners = new CopyOnWriteArrayList<>();
    /** Metadata of the managed domains seen so far, by UUID: an undefined domain can no longer be read. */
    private final Map<String, NodeMetadata> known = new ConcurrentHashMap<>();
    private final Object watchLock = new Object();
    private volatile LifecycleListener lifecycle;
    /** Handles events and reconnects (one daemon thread); exists while someone watches. */
    private ScheduledThreadPoolExecutor eventWorker;
    private volatile boolean closed;

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
            this.tenant = Checks.tenant(tenant);
        } catch (IllegalArgumentException e) {
            throw new NodeDriverException(e.getMessage(), e);
        }
        this.options = options == null ? Options.defaults() : options;
        this.uri = uri;
        try {
            Connect.setErrorCallback(QUIET_ERRORS);
            EventLoop.acquire(); // before connecting: a remote connection hooks into the loop when it opens
        } catch (LibvirtException e) {
            throw new NodeDriverException("cannot set up libvirt's event loop: " + message(e), e);
        }
        Connect c = null;
        try {
            c = open();
            this.domainType = chooseDomainType(c.getCapabilities(), this.options.domainType());
            NodeInfo node = c.nodeInfo();
            this.hostCpus = Math.max(node.cpus, node.maxCpus());
            this.connect = c;
            registerCloseListener(c);
        } catch (LibvirtException | NodeDriverException | RuntimeException e) {
            if (c != null) {
                closeQuietly(c);
            }
            EventLoop.release();
            throw new NodeDriverException("cannot use libvirt at " + redact(uri) + ": "
                    + (e instanceof LibvirtException le ? message(le) : e.getMessage()), e);
        }
        LOG.infof("libvirt node driver on %s: domain type %s, %d host CPUs", redact(uri), domainType, hostCpus);
    }

    /** The domain type new nodes get: kvm, qemu or test. */
    public String domainType() {
        return domainType;
    }

    /** The connection, for tests in this package (the test driver's state lives in it). */
    Connect connection() {
        return connect;
    }

    // ---------------------------------------------------------------------------------------------- create

    @Override
    public NodeStatus create(NodeSpec spec, String commandId) throws NodeDriverException {
        String name;
        try {
            Checks.spec(spec);
            Checks.commandId(commandId);
            name = NodeNames.nodeName(spec.clusterId(), spec.nodeId());
        } catch (IllegalArgumentException e) {
            throw invalid(e);
        }
        lock.lock();
        try {
            ensureOpen();
            Domain existing = lookupDomain(name);
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
        NodeMetadata meta = owned(existing, name, spec.clusterId(), spec.nodeId());
        if (existing.isActive() == 0) {
            LOG.infof("node %s exists and is not running: starting it", name);
            existing.create();
        }
        remember(existing, meta);
        return status(existing, meta, "adopted the existing domain");
    }

    private NodeStatus createNew(NodeSpec spec, String commandId, String name) throws LibvirtException, NodeDriverException {
        NodeSpec.VirtualPlacement p = spec.placement();
        NodeSpec.Resources r = spec.resources();

        // everything that can be checked is checked before anything is created
        if (r.cpuSet() != null && Checks.cpuSet(r.cpuSet()) >= hostCpus) {
            throw new NodeDriverException("cpu set " + r.cpuSet() + " names CPUs this host does not have (it has " + hostCpus + ")");
        }
        StoragePool images = pool(p.imagePool());
        StoragePool target = pool(p.targetPool());
        StoragePool dataPool = p.dataDiskGb() > 0 ? pool(p.dataPool()) : null;
        StorageVol base = lookupVolume(images, spec.image());
        if (base == null) {
            throw new NodeDriverException("base image volume '" + spec.image() + "' not found in storage pool '" + p.imagePool() + "'");
        }
        long rootBytes = r.rootDiskGb() * DomainXml.GIB;
        long baseBytes = base.getInfo().capacity;
        if (rootBytes < baseBytes) {
            throw new NodeDriverException("root disk of " + r.rootDiskGb() + " GiB is smaller than the base image '"
                    + spec.image() + "' (" + baseBytes + " bytes)");
        }
        if ("network".equals(p.networkType())) {
            requireNetwork(p.networkName());
        }
        String hostname = spec.hostname() != null ? spec.hostname() : spec.nodeId();
        String bootstrap;
        try {
            bootstrap = Bootstrap.json(spec, hostname);
        } catch (IllegalArgumentException e) {
            throw invalid(e);
        }
        String rootName = name + "-root";
        String dataName = name + "-data";
        NodeMetadata meta = new NodeMetadata(tenant, spec.clusterId(), spec.poolName(), spec.nodeId(), commandId, spec.role(),
                hostname, new NodeMetadata.VolumeRef(p.targetPool(), rootName),
                dataPool == null ? null : new NodeMetadata.VolumeRef(p.dataPool(), dataName),
                spec.labels() == null ? Map.of() : new TreeMap<>(spec.labels()), bootstrap);

        // volumes first (found by name: a crash before the domain was defined left them for us), then the domain
        List<StorageVol> createdHere = new ArrayList<>();
        Domain domain;
        try {
            StorageVol root = lookupVolume(target, rootName);
            if (root == null) {
                root = cloneBase(images, target, base, rootName, rootBytes);
                createdHere.add(root);
            } else {
                LOG.infof("reusing root volume %s/%s left from an earlier attempt", p.targetPool(), rootName);
            }
            StorageVol data = null;
            if (dataPool != null) {
                data = lookupVolume(dataPool, dataName);
                if (data == null) {
                    data = dataPool.storageVolCreateXML(DomainXml.volume(dataName, p.dataDiskGb() * DomainXml.GIB, "raw", null, null), 0);
                    createdHere.add(data);
                } else {
                    LOG.infof("reusing data volume %s/%s left from an earlier attempt", p.dataPool(), dataName);
                }
            }
            String xml = DomainXml.domain(domainType, options.cpuMode(), name, spec, meta,
                    new DomainXml.Disk(p.targetPool(), rootName, format(root)),
                    data == null ? null : new DomainXml.Disk(p.dataPool(), dataName, format(data)),
                    bootstrap);
            domain = conn().domainDefineXML(xml);
        } catch (LibvirtException | RuntimeException e) {
            // nothing references the volumes made by this call: remove them again
            for (StorageVol v : createdHere) {
                try {
                    v.delete(0);
                } catch (LibvirtException cleanup) {
                    LOG.warnf("could not remove volume after a failed create: %s", message(cleanup));
                }
            }
            if (e instanceof IllegalArgumentException iae) {
                throw invalid(iae);
            }
            throw e;
        }
        remember(domain, meta);
        try {
            domain.setAutostart(true); // nodes come back with the appliance after a power cut
        } catch (LibvirtException e) {
            LOG.debugf("autostart of %s not set: %s", name, message(e));
        }
        try {
            domain.create();
        } catch (LibvirtException e) {
            throw new NodeDriverException("node " + name + " is defined but did not start: " + message(e), e);
        }
        LOG.infof("node %s created (%s, %d vCPU, %d MiB)", name, domainType, r.cpus(), r.memoryMb());
        return status(domain, meta, "created");
    }

    /**
     * Clones the base volume into the target pool. libvirt's test driver cannot clone across pools: it
     * looks the source volume up in the target pool and answers "no storage vol with matching name"
     * (VIR_FROM_TEST, VIR_ERR_NO_STORAGE_VOL) for a volume that was just found. Then, and when a driver
     * reports the clone as unsupported, the root volume becomes a qcow2 overlay whose {@code <backingStore>}
     * is the base volume's path: the same disk content for the guest, copy-on-write instead of a copy.
     */
    private StorageVol cloneBase(StoragePool images, StoragePool target, StorageVol base, String rootName, long bytes)
            throws LibvirtException {
        String baseFormat = format(base);
        try {
            return target.storageVolCreateXMLFrom(DomainXml.volume(rootName, bytes, baseFormat, null, null), base, 0);
        } catch (LibvirtException e) {
            if (!cloneUnsupported(e, images, target)) {
                throw e;
            }
            LOG.infof("cannot clone %s across pools here (%s): creating %s as an overlay backed by it",
                    base.getName(), message(e), rootName);
            return target.storageVolCreateXML(DomainXml.volume(rootName, bytes, "qcow2", base.getPath(), baseFormat), 0);
        }
    }

    private static boolean cloneUnsupported(LibvirtException e, StoragePool images, StoragePool target) throws LibvirtException {
        Error.ErrorNumber code = e.getError().getCode();
        if (code == Error.ErrorNumber.VIR_ERR_NO_SUPPORT || code == Error.ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED
                || code == Error.ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED) {
            return true;
        }
        return e.getError().getDomain() == Error.ErrorDomain.VIR_FROM_TEST && code == Error.ErrorNumber.VIR_ERR_NO_STORAGE_VOL
                && !images.getName().equals(target.getName());
    }

    // ------------------------------------------------------------------------------------ start, stop, delete

    @Override
    public NodeStatus start(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        lock.lock();
        try {
            ensureOpen();
            Domain d = requireDomain(name);
            NodeMetadata meta = owned(d, name, clusterId, nodeId);
            if (d.isActive() == 0) {
                d.create();
            }
            return status(d, meta, "started");
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
            Domain d = requireDomain(name);
            NodeMetadata meta = owned(d, name, clusterId, nodeId);
            String how = "stopped";
            if (d.isActive() == 1) {
                try {
                    d.shutdown();
                } catch (LibvirtException e) {
                    LOG.debugf("shutdown request to %s: %s", name, message(e));
                }
                long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
                while (d.isActive() == 1 && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                    sleep(200);
                }
                if (d.isActive() == 1) {
                    LOG.infof("node %s did not shut down within %s s: powering it off", name, options.shutdownTimeout().toSeconds());
                    destroy(d);
                    how = "powered off (no shutdown within " + options.shutdownTimeout().toSeconds() + " s)";
                }
            }
            return status(d, meta, how);
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

    private NodeStatus deleteLocked(String name, String clusterId, String nodeId) throws LibvirtException, NodeDriverException {
        Domain d = lookupDomain(name);
        if (d == null) {
            return new NodeStatus(clusterId, null, nodeId, NodeState.DELETED, null, null, null, "no such node", Instant.now());
        }
        NodeMetadata meta = owned(d, name, clusterId, nodeId);
        String uuid = d.getUUIDString();
        if (d.isActive() == 1) {
            destroy(d);
        }
        // volumes before the definition: if the gateway dies in between, the domain and its metadata
        // (which names the volumes) are still there for the next attempt
        deleteVolume(meta.root());
        deleteVolume(meta.data());
        try {
            d.undefine(UNDEFINE_FLAGS);
        } catch (LibvirtException e) {
            Error.ErrorNumber code = e.getError().getCode();
            if (code == Error.ErrorNumber.VIR_ERR_INVALID_ARG || code == Error.ErrorNumber.VIR_ERR_NO_SUPPORT) {
                d.undefine();
            } else if (code != Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                throw e;
            }
        }
        if (lifecycle == null) {
            known.remove(uuid); // else the UNDEFINED event removes it, and reports the node as DELETED
        }
        LOG.infof("node %s deleted with its volumes", name);
        return new NodeStatus(meta.clusterId(), meta.poolName(), meta.nodeId(), NodeState.DELETED, uuid, null,
                meta.commandId(), "domain and volumes deleted", Instant.now());
    }

    private void deleteVolume(NodeMetadata.VolumeRef ref) throws LibvirtException {
        if (ref == null) {
            return;
        }
        StoragePool pool;
        try {
            pool = conn().storagePoolLookupByName(ref.pool());
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
                LOG.warnf("storage pool %s of volume %s is gone: nothing to delete", ref.pool(), ref.name());
                return;
            }
            throw e;
        }
        StorageVol vol = lookupVolume(pool, ref.name());
        if (vol != null) {
            vol.delete(0);
        }
    }

    @Override
    public Optional<NodeStatus> inspect(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        ensureOpen();
        try {
            Domain d = lookupDomain(name);
            if (d == null) {
                return Optional.empty();
            }
            Optional<NodeMetadata> meta = metadata(d).filter(m -> m.tenant().equals(tenant)
                    && m.clusterId().equals(clusterId) && m.nodeId().equals(nodeId));
            if (meta.isEmpty()) {
                return Optional.empty();
            }
            remember(d, meta.get());
            return Optional.of(status(d, meta.get(), null));
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
            for (Domain d : conn().listAllDomains(0)) {
                try {
                    Optional<NodeMetadata> meta = metadata(d).filter(m -> m.tenant().equals(tenant));
                    if (meta.isPresent()) {
                        remember(d, meta.get());
                        nodes.add(status(d, meta.get(), null));
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
            for (Domain d : conn().listAllDomains(0)) {
                try {
                    metadata(d).filter(m -> m.tenant().equals(tenant) && m.clusterId().equals(clusterId))
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
                throw new NodeDriverException("cleanup of cluster " + clusterId + " left nodes behind: " + String.join("; ", failures));
            }
            LOG.infof("cluster %s cleaned up: %d node(s) deleted", clusterId, nodeIds.size());
        } catch (LibvirtException e) {
            throw new NodeDriverException("cleanup of cluster " + clusterId + " failed: " + message(e), e);
        } finally {
            lock.unlock();
        }
    }

    // --------------------------------------------------------------------------------------------- inventory

    /**
     * The host's libvirt networks and storage pools, for the gateway's reports (what placements can
     * name); null when libvirt cannot be asked right now.
     */
    @Override
    public Inventory.Libvirt libvirtInventory() {
        if (closed) {
            return null;
        }
        try {
            Connect c = conn();
            List<Inventory.Network> networks = new ArrayList<>();
            for (String name : c.listNetworks()) {
                networks.add(new Inventory.Network(name, true));
            }
            for (String name : c.listDefinedNetworks()) {
                networks.add(new Inventory.Network(name, false));
            }
            List<Inventory.StoragePool> pools = new ArrayList<>();
            for (String name : c.listStoragePools()) {
                try {
                    StoragePoolInfo info = c.storagePoolLookupByName(name).getInfo();
                    pools.add(new Inventory.StoragePool(name, info.capacity, info.available));
                } catch (LibvirtException e) {
                    LOG.debugf("storage pool %s: %s", name, message(e)); // removed meanwhile
                }
            }
            for (String name : c.listDefinedStoragePools()) {
                pools.add(new Inventory.StoragePool(name, 0, 0)); // inactive: libvirt knows no sizes
            }
            return new Inventory.Libvirt(networks, pools);
        } catch (LibvirtException | RuntimeException e) {
            LOG.warnf("cannot read libvirt's networks and pools: %s", e instanceof LibvirtException le ? message(le) : e.toString());
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------- node access

    /**
     * Access through the node's QEMU guest agent (see {@link GuestNodeAccess}); the calls fail with a clear
     * reason when the node's image does not run the agent.
     */
    @Override
    public NodeAccess access(String clusterId, String nodeId) throws NodeDriverException {
        String name = name(clusterId, nodeId);
        ensureOpen();
        try {
            Domain d = requireDomain(name);
            NodeMetadata meta = owned(d, name, clusterId, nodeId);
            remember(d, meta);
            return new GuestNodeAccess(d, name, status(d, meta, null), facts(d, meta), () -> {
                try {
                    return status(d, meta, "rebooted by the gateway");
                } catch (LibvirtException e) {
                    throw new NodeDriverException("inspecting node " + name + " failed: " + message(e), e);
                }
            });
        } catch (LibvirtException e) {
            throw new NodeDriverException("entering node " + name + " failed: " + message(e), e);
        }
    }

    /** What the domain's definition says (the conformance scan compares it with the spec). */
    private static NodeAccess.NodeFacts facts(Domain d, NodeMetadata meta) throws LibvirtException {
        DomainInfo info = d.getInfo();
        NodeMetadata.VolumeRef root = meta.root();
        return new NodeAccess.NodeFacts(root == null ? null : root.pool() + "/" + root.name(), meta.hostname(),
                meta.poolName(), meta.role() == null ? null : meta.role().name(), info.nrVirtCpu, info.maxMem / 1024,
                meta.labels() == null ? Map.of() : Map.copyOf(meta.labels()));
    }

    // ------------------------------------------------------------------------------------------------ events

    /**
     * Registers {@code listener} for changes of managed nodes: started, stopped, crashed, suspended,
     * resumed, undefined (reported as DELETED). Calls come from one daemon thread, in event order.
     */
    @Override
    public void watch(Consumer<NodeStatus> listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is missing");
        }
        synchronized (watchLock) {
            if (closed) {
                throw new IllegalStateException("driver is closed");
            }
            listeners.add(listener);
            if (lifecycle != null) {
                return;
            }
            eventWorker = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "libvirt-node-events");
                t.setDaemon(true);
                return t;
            });
            eventWorker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            try {
                list(); // learns the current nodes, so that their removal can be reported
            } catch (NodeDriverException e) {
                LOG.warnf("watch: %s", e.getMessage());
            }
            LifecycleListener l = this::onLifecycle;
            try {
                synchronized (reconnectLock) { // a reconnect registers it on the new connection
                    conn().addLifecycleListener(l);
                    lifecycle = l;
                }
            } catch (LibvirtException e) {
                eventWorker.shutdownNow();
                eventWorker = null;
                listeners.remove(listener);
                throw new IllegalStateException("cannot subscribe to libvirt domain events: " + message(e), e);
            }
        }
    }

    /** On libvirt's event loop thread: only hand over, never call back into libvirt here. */
    private int onLifecycle(Domain domain, DomainEvent event) {
        ExecutorService worker = eventWorker;
        if (worker == null || closed) {
            return 0;
        }
        try {
            worker.execute(() -> handleEvent(domain, event));
        } catch (RejectedExecutionException closing) {
            // the driver is closing
        }
        return 0;
    }

    private void handleEvent(Domain domain, DomainEvent event) {
        try {
            DomainEventType type = event.getType();
            String uuid = domain.getUUIDString();
            if (type == DomainEventType.UNDEFINED) {
                reportGone(uuid);
                return;
            }
            if (type == DomainEventType.SHUTDOWN) {
                return; // the guest finished shutting down: a STOPPED event follows
            }
            Optional<NodeMetadata> meta;
            try {
                meta = metadata(domain).filter(m -> m.tenant().equals(tenant));
            } catch (LibvirtException e) {
                if (code(e) == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    reportGone(uuid);
                    return;
                }
                throw e;
            }
            if (meta.isEmpty()) {
                return;
            }
            known.put(uuid, meta.get());
            NodeState state = switch (type) {
                case STARTED, RESUMED -> NodeState.RUNNING;
                case STOPPED, SUSPENDED, PMSUSPENDED -> NodeState.STOPPED;
                case CRASHED -> NodeState.FAILED;
                default -> null;
            };
            NodeStatus current = status(domain, meta.get(), "event " + type.name().toLowerCase() + " (" + event.getDetail() + ")");
            emit(state == null ? current : new NodeStatus(current.clusterId(), current.poolName(), current.nodeId(), state,
                    current.ref(), current.ip(), current.commandId(), current.message(), current.observedAt()));
        } catch (LibvirtException | RuntimeException e) {
            LOG.warnf("could not report a libvirt event: %s", e instanceof LibvirtException le ? message(le) : e.toString());
        }
    }

    private void reportGone(String uuid) {
        NodeMetadata meta = known.remove(uuid);
        if (meta != null) {
            emit(new NodeStatus(meta.clusterId(), meta.poolName(), meta.nodeId(), NodeState.DELETED, uuid, null,
                    meta.commandId(), "domain undefined", Instant.now()));
        }
    }

    private void emit(NodeStatus status) {
        for (Consumer<NodeStatus> l : listeners) {
            try {
                l.accept(status);
            } catch (RuntimeException e) {
                LOG.warnf(e, "node status listener failed");
            }
        }
    }

    /** Removes the event listener, stops event handling, closes the connection and releases the event loop. */
    @Override
    public void close() {
        synchronized (watchLock) {
            if (closed) {
                return;
            }
            closed = true;
            Connect c = connect;
            if (lifecycle != null) {
                try {
                    c.removeLifecycleListener(lifecycle);
                } catch (LibvirtException e) {
                    LOG.debugf("removing the lifecycle listener: %s", message(e));
                }
                lifecycle = null;
            }
            try {
                c.unregisterCloseListener();
            } catch (LibvirtException e) {
                LOG.debugf("removing the close listener: %s", message(e));
            }
            if (eventWorker != null) {
                eventWorker.shutdown();
                try {
                    eventWorker.awaitTermination(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                eventWorker = null;
            }
            listeners.clear();
        }
        lock.lock();
        try {
            synchronized (reconnectLock) {
                closeQuietly(connect);
            }
        } finally {
            lock.unlock();
            EventLoop.release();
        }
    }

    // ------------------------------------------------------------------------------------------- connection

    private Connect open() throws LibvirtException {
        Connect c = new Connect(uri);
        try {
            c.setKeepAlive(5, 3); // notices a dead remote connection within ~20 s; a no-op for local drivers
        } catch (LibvirtException e) {
            LOG.debugf("no keepalive on %s: %s", redact(uri), message(e));
        }
        return c;
    }

    private void registerCloseListener(Connect c) {
        try {
            c.registerCloseListener(closeListener);
        } catch (LibvirtException e) {
            LOG.debugf("no close notification from %s: %s", redact(uri), message(e)); // e.g. the test driver
        }
    }

    /**
     * The connection, opened again when libvirtd went away (restart, package upgrade) — the event
     * listener moves to the new connection. The check is local (no round trip).
     */
    private Connect conn() throws LibvirtException {
        Connect c = connect;
        boolean alive;
        try {
            alive = c.isAlive();
        } catch (LibvirtException e) {
            alive = false;
        }
        return alive ? c : reconnect(c);
    }

    private Connect reconnect(Connect dead) throws LibvirtException {
        synchronized (reconnectLock) {
            if (connect != dead) {
                return connect; // another thread did it
            }
            if (closed) {
                throw new IllegalStateException("the libvirt node driver is closed");
            }
            LOG.warnf("libvirt connection to %s lost: reconnecting", redact(uri));
            Connect fresh = open();
            LifecycleListener l = lifecycle;
            if (l != null) {
                try {
                    fresh.addLifecycleListener(l);
                } catch (LibvirtException e) {
                    closeQuietly(fresh);
                    throw e;
                }
            }
            registerCloseListener(fresh);
            connect = fresh;
            try {
                dead.unregisterCloseListener();
            } catch (LibvirtException e) {
                LOG.tracef("old connection: %s", message(e));
            }
            closeQuietly(dead);
            LOG.infof("reconnected to libvirt at %s", redact(uri));
            return fresh;
        }
    }

    /** On libvirt's event loop thread: libvirtd closed the connection. Watchers need it back now, not at the next command. */
    private void onConnectionClosed(Connect c, ConnectionCloseReason reason) {
        if (closed || reason == ConnectionCloseReason.CLIENT) {
            return;
        }
        LOG.warnf("libvirt closed the connection (%s)", reason);
        ScheduledThreadPoolExecutor worker = eventWorker;
        if (worker != null) {
            try {
                worker.execute(this::recover);
            } catch (RejectedExecutionException closing) {
                // the driver is closing
            }
        }
    }

    /** On the event worker: reconnects (retrying every 2 s) and reports every node as it is now. */
    private void recover() {
        if (closed) {
            return;
        }
        try {
            conn();
            resync();
        } catch (LibvirtException | NodeDriverException | RuntimeException e) {
            if (closed) {
                return;
            }
            LOG.warnf("libvirt still unreachable (%s): trying again in 2 s",
                    e instanceof LibvirtException le ? message(le) : e.getMessage());
            ScheduledThreadPoolExecutor worker = eventWorker;
            if (worker != null) {
                try {
                    worker.schedule(this::recover, 2, TimeUnit.SECONDS);
                } catch (RejectedExecutionException closing) {
                    // the driver is closing
                }
            }
        }
    }

    /** Events may have been missed while disconnected: report every node, and the ones that are gone. */
    private void resync() throws NodeDriverException {
        List<NodeStatus> now = list();
        Set<String> present = new java.util.HashSet<>();
        now.forEach(s -> present.add(s.ref()));
        for (String uuid : List.copyOf(known.keySet())) {
            if (!present.contains(uuid)) {
                reportGone(uuid);
            }
        }
        for (NodeStatus n : now) {
            emit(new NodeStatus(n.clusterId(), n.poolName(), n.nodeId(), n.state(), n.ref(), n.ip(), n.commandId(),
                    "after reconnect: " + n.message(), n.observedAt()));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private NodeStatus status(Domain d, NodeMetadata meta, String note) throws LibvirtException {
        DomainInfo.DomainState libvirtState = d.getInfo().state;
        NodeState state = switch (libvirtState) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_SHUTDOWN -> NodeState.RUNNING;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_PMSUSPENDED -> NodeState.STOPPED;
            case VIR_DOMAIN_CRASHED -> NodeState.FAILED;
            case VIR_DOMAIN_NOSTATE -> NodeState.CREATING;
        };
        String described = "domain " + d.getName() + " " + libvirtState.name().substring("VIR_DOMAIN_".length()).toLowerCase();
        String ip = state == NodeState.RUNNING ? ipOf(d) : null;
        return new NodeStatus(meta.clusterId(), meta.poolName(), meta.nodeId(), state, d.getUUIDString(), ip,
                meta.commandId(), note == null ? described : note + "; " + described, Instant.now());
    }

    /** The first IPv4 address libvirt knows (DHCP lease of a libvirt network, else the host's ARP table). */
    private static String ipOf(Domain d) {
        for (int source : new int[]{Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
                Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP}) {
            try {
                for (DomainInterface i : d.interfaceAddresses(source, 0)) {
                    if (i.addrs == null) {
                        continue;
                    }
                    for (DomainInterface.InterfaceAddress a : i.addrs) {
                        if (a.address instanceof Inet4Address) {
                            return a.address.getHostAddress();
                        }
                    }
                }
            } catch (LibvirtException | RuntimeException e) {
                LOG.tracef("no addresses from source %d: %s", source, e.getMessage());
            }
        }
        return null;
    }

    /** The metadata of a domain the caller names: ours (tenant) and of that cluster and node, or an error. */
    private NodeMetadata owned(Domain d, String name, String clusterId, String nodeId) throws LibvirtException, NodeDriverException {
        NodeMetadata meta = metadata(d).orElseThrow(() -> new NodeDriverException(
                "a domain named " + name + " exists that EdgeFleet did not create: it is left untouched"));
        if (!meta.tenant().equals(tenant)) {
            throw new NodeDriverException("domain " + name + " belongs to another tenant: it is left untouched");
        }
        if (!meta.clusterId().equals(clusterId) || !meta.nodeId().equals(nodeId)) {
            throw new NodeDriverException("domain " + name + " belongs to node " + meta.nodeId() + " of cluster "
                    + meta.clusterId() + ": it is left untouched");
        }
        return meta;
    }

    private static Optional<NodeMetadata> metadata(Domain d) throws LibvirtException {
        return NodeMetadata.fromDomainXml(d.getXMLDesc(0));
    }

    private void remember(Domain d, NodeMetadata meta) throws LibvirtException {
        known.put(d.getUUIDString(), meta);
    }

    private Domain lookupDomain(String name) throws LibvirtException {
        try {
            return conn().domainLookupByName(name);
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return null;
            }
            throw e;
        }
    }

    private Domain requireDomain(String name) throws LibvirtException, NodeDriverException {
        Domain d = lookupDomain(name);
        if (d == null) {
            throw new NodeDriverException("node " + name + " does not exist");
        }
        return d;
    }

    private StoragePool pool(String name) throws LibvirtException, NodeDriverException {
        try {
            return conn().storagePoolLookupByName(name);
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
                throw new NodeDriverException("storage pool '" + name + "' does not exist");
            }
            throw e;
        }
    }

    private void requireNetwork(String name) throws LibvirtException, NodeDriverException {
        try {
            conn().networkLookupByName(name);
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_NETWORK) {
                throw new NodeDriverException("libvirt network '" + name + "' does not exist");
            }
            throw e;
        }
    }

    private static StorageVol lookupVolume(StoragePool pool, String name) throws LibvirtException {
        try {
            return pool.storageVolLookupByName(name);
        } catch (LibvirtException e) {
            if (code(e) == Error.ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
                return null;
            }
            throw e;
        }
    }

    /** The volume's format (target/format/@type), as a disk driver type; raw when unknown. */
    static String format(StorageVol vol) throws LibvirtException {
        Document doc = Xml.parse(vol.getXMLDesc(0));
        Element format = Xml.path(doc.getDocumentElement(), "target", "format");
        String type = format == null ? "" : format.getAttribute("type");
        return DISK_FORMATS.contains(type) ? type : "raw";
    }

    private static void destroy(Domain d) throws LibvirtException {
        try {
            d.destroy();
        } catch (LibvirtException e) {
            if (code(e) != Error.ErrorNumber.VIR_ERR_OPERATION_INVALID) { // "not running": it stopped meanwhile
                throw e;
            }
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
                throw new NodeDriverException("domain type " + forced + " is not offered by this host (it offers " + any + ")");
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
        if (closed) {
            throw new NodeDriverException("the libvirt node driver is closed");
        }
    }

    private static NodeDriverException invalid(IllegalArgumentException e) {
        return new NodeDriverException("invalid node request: " + e.getMessage(), e);
    }

    private static Error.ErrorNumber code(LibvirtException e) {
        return e.getError() == null ? null : e.getError().getCode();
    }

    private static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : String.valueOf(e.getMessage());
    }

    /** The URI without its query (which names key files). */
    private static String redact(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q) + "?…";
    }

    private static void closeQuietly(Connect c) {
        try {
            c.close();
        } catch (LibvirtException e) {
            LOG.debugf("closing the libvirt connection: %s", message(e));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
