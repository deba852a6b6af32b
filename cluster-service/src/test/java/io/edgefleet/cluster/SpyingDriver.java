package io.edgefleet.cluster;

import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.inventory.LibvirtInventorySource;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.nodes.libvirt.LibvirtNodeDriver;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The real libvirt driver, with the specs it was asked to create kept for the test to read (libvirt's
 * test driver keeps its domains inside the gateway's connection, where nothing else can look).
 */
final class SpyingDriver implements NodeDriver, LibvirtInventorySource {

    private final LibvirtNodeDriver driver;
    final List<NodeSpec> created = new CopyOnWriteArrayList<>();

    SpyingDriver(LibvirtNodeDriver driver) {
        this.driver = driver;
    }

    @Override
    public NodeStatus create(NodeSpec spec, String commandId) throws NodeDriverException {
        created.add(spec);
        return driver.create(spec, commandId);
    }

    @Override
    public NodeStatus start(String clusterId, String nodeId) throws NodeDriverException {
        return driver.start(clusterId, nodeId);
    }

    @Override
    public NodeStatus awaitReady(NodeStatus started, Consumer<String> progress) throws NodeDriverException {
        return driver.awaitReady(started, progress);
    }

    @Override
    public NodeStatus stop(String clusterId, String nodeId) throws NodeDriverException {
        return driver.stop(clusterId, nodeId);
    }

    @Override
    public NodeStatus delete(String clusterId, String nodeId) throws NodeDriverException {
        return driver.delete(clusterId, nodeId);
    }

    @Override
    public Optional<NodeStatus> inspect(String clusterId, String nodeId) throws NodeDriverException {
        return driver.inspect(clusterId, nodeId);
    }

    @Override
    public List<NodeStatus> list() throws NodeDriverException {
        return driver.list();
    }

    @Override
    public void cleanupCluster(String clusterId) throws NodeDriverException {
        driver.cleanupCluster(clusterId);
    }

    @Override
    public void watch(Consumer<NodeStatus> listener) {
        driver.watch(listener);
    }

    @Override
    public Inventory.Libvirt libvirtInventory() {
        return driver.libvirtInventory();
    }

    @Override
    public void close() {
        driver.close();
    }
}
