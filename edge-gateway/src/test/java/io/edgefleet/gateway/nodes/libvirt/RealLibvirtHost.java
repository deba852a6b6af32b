package io.edgefleet.gateway.nodes.libvirt;

import org.junit.jupiter.api.Assumptions;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real libvirtd + QEMU ({@code qemu:///system}) for the tests, brought up by {@code deploy/ci/libvirt-up.sh}
 * (the test is skipped only when that fails), with what the nodes need, all named {@code ef-<tag>-<suffix>…}:
 * three transient dir pools (images, vms, data) under {@link #workRoot()} and an isolated network without addresses
 * (no dnsmasq, no firewall rules). {@link #close} removes them and any domain left.
 */
final class RealLibvirtHost implements AutoCloseable {

    static final String URI = LibvirtUri.LOCAL_SYSTEM;

    final String suffix;
    final String prefix;
    final Path work;
    /** Reopened when libvirtd closed it: an idle connection dies by keepalive when no event loop answers (e.g. during an image build). */
    private Connect admin;

    final String imagesPool;
    final String vmsPool;
    final String dataPool;
    final String networkName;
    private final List<String> pools = new ArrayList<>();
    private boolean network;

    private RealLibvirtHost(String tag) throws Exception {
        suffix = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        prefix = "ef-" + tag + "-" + suffix;
        work = workRoot().resolve(tag + "-" + suffix);
        admin = new Connect(URI);
        imagesPool = prefix + "-images";
        vmsPool = prefix + "-vms";
        dataPool = prefix + "-data";
        for (String name : List.of(imagesPool, vmsPool, dataPool)) {
            Path dir = work.resolve(name);
            Files.createDirectories(dir);
            admin.storagePoolCreateXML(poolXml(name, dir), 0); // transient: gone when destroyed
            pools.add(name);
        }
        networkName = prefix;
        admin.networkCreateXML(networkXml(networkName, "ef" + tag + suffix));
        network = true;
    }

    /**
     * Where the pools live. QEMU runs as its own user (libvirt-qemu) and must reach the disks: a checkout inside a private
     * directory (a CI's {@code mktemp -d} is 0700) is out of its reach, libvirt's own image directory is not. So that
     * directory when the tests may write there (root), else {@code target/libvirt-real}; {@code -Dedgefleet.libvirt.work}
     * overrides both.
     */
    static Path workRoot() {
        String configured = System.getProperty("edgefleet.libvirt.work");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path images = Path.of("/var/lib/libvirt/images");
        if (Files.isDirectory(images) && Files.isWritable(images)) {
            return images.resolve("edgefleet-tests");
        }
        return Path.of("target", "libvirt-real").toAbsolutePath();
    }

    /** @param tag two or three letters that tell the test's resources apart from another test's */
    static RealLibvirtHost open(String tag) throws Exception {
        int rc = runScript("deploy/ci/libvirt-up.sh", Path.of("target", "libvirt-up.log"));
        Assumptions.assumeTrue(
                rc == 0,
                "SKIPPED: libvirtd + QEMU cannot be brought up on this machine (deploy/ci/libvirt-up.sh exited " + rc
                        + "): "
                        + Files.readString(Path.of("target", "libvirt-up.log")).strip());
        return new RealLibvirtHost(tag);
    }

    StoragePool pool(String name) throws Exception {
        return admin().storagePoolLookupByName(name);
    }

    /** The test's own connection to libvirtd. */
    synchronized Connect admin() throws LibvirtException {
        if (!admin.isAlive()) {
            try {
                admin.close();
            } catch (LibvirtException ignored) {
                // closed by the daemon already
            }
            admin = new Connect(URI);
        }
        return admin;
    }

    @Override
    public void close() throws Exception {
        Connect admin = admin();
        for (Domain d : admin.listAllDomains(0)) { // whatever a failed test left
            if (d.getName().startsWith(prefix)) {
                if (d.isActive() == 1) {
                    d.destroy();
                }
                d.undefine();
            }
        }
        for (String name : pools) {
            StoragePool p = admin.storagePoolLookupByName(name);
            for (String v : p.listVolumes()) {
                p.storageVolLookupByName(v).delete(0);
            }
            p.destroy();
        }
        if (network) {
            admin.networkLookupByName(networkName).destroy();
        }
        admin.close();
        if (Files.exists(work)) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs a script of the repository with bash, its output into {@code log}; its exit code (negative: did not run or end). */
    static int runScript(String relative, Path log, String... args) throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>(List.of("bash", findUp(relative).toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -2;
        }
    }

    static Path findUp(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(
                relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static String poolXml(String name, Path dir) {
        Document doc = Xml.newDocument();
        Element pool = Xml.attr(Xml.add(doc, "pool"), "type", "dir");
        Xml.add(pool, "name", name);
        Xml.add(Xml.add(pool, "target"), "path", dir.toString());
        return Xml.serialize(doc);
    }

    /** An isolated network: a bridge without addresses, so libvirt starts no dnsmasq and adds no firewall rules. */
    private static String networkXml(String name, String bridge) {
        Document doc = Xml.newDocument();
        Element net = Xml.add(doc, "network");
        Xml.add(net, "name", name);
        Xml.attr(Xml.attr(Xml.add(net, "bridge"), "name", bridge), "stp", "off");
        return Xml.serialize(doc);
    }
}
