package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.NodeSpec;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Domain and volume XML, written through {@link Xml} (DOM), so every value is escaped. */
final class DomainXml {

    static final long MIB = 1024L * 1024;
    static final long GIB = 1024L * MIB;

    /** A disk of the domain: a volume in a pool, with its format (raw, qcow2). */
    record Disk(String pool, String volume, String format) {}

    private DomainXml() {}

    /**
     * @param type      domain type: kvm, qemu or test
     * @param cpuMode   null (hypervisor default CPU model), host-passthrough or host-model
     * @param bootstrap the bootstrap JSON (the fw_cfg entry gets it base64-encoded), or null for no entry
     * @param consoleLog the file the serial console is logged to ({@link ConsoleLog}), or null for none
     */
    static String domain(
            String type,
            String cpuMode,
            String name,
            NodeSpec spec,
            NodeMetadata metadata,
            Disk root,
            Disk data,
            String bootstrap,
            String consoleLog) {
        Document doc = Xml.newDocument();
        Element domain = Xml.attr(Xml.add(doc, "domain"), "type", type);
        Xml.add(domain, "name", name);
        Xml.add(domain, "title", "EdgeFleet node " + spec.nodeId() + " of cluster " + spec.clusterId());
        metadata.appendTo(Xml.add(domain, "metadata"));

        NodeSpec.Resources r = spec.resources();
        Xml.attr(Xml.add(domain, "memory", Long.toString(r.memoryMb())), "unit", "MiB");
        Xml.attr(Xml.add(domain, "currentMemory", Long.toString(r.memoryMb())), "unit", "MiB");
        Element vcpu = Xml.attr(Xml.add(domain, "vcpu", Integer.toString(r.cpus())), "placement", "static");
        if (r.cpuSet() != null) {
            Xml.attr(vcpu, "cpuset", r.cpuSet());
        }
        if (bootstrap != null) {
            Element sysinfo = Xml.attr(Xml.add(domain, "sysinfo"), "type", "fwcfg");
            Xml.attr(Xml.add(sysinfo, "entry", Bootstrap.fwCfgValue(bootstrap)), "name", Bootstrap.FW_CFG_NAME);
        }
        Element os = Xml.add(domain, "os");
        Xml.add(os, "type", "hvm");
        Xml.attr(Xml.add(os, "boot"), "dev", "hd");
        Element features = Xml.add(domain, "features");
        Xml.add(features, "acpi");
        Xml.add(features, "apic");
        if (cpuMode != null) {
            Xml.attr(Xml.add(domain, "cpu"), "mode", cpuMode);
        }
        Xml.attr(Xml.add(domain, "clock"), "offset", "utc");
        Xml.add(domain, "on_poweroff", "destroy");
        Xml.add(domain, "on_reboot", "restart");
        Xml.add(domain, "on_crash", "destroy");

        Element devices = Xml.add(domain, "devices");
        disk(devices, root, "vda");
        if (data != null) {
            disk(devices, data, "vdb");
        }
        NodeSpec.VirtualPlacement p = spec.placement();
        Element nic = Xml.attr(Xml.add(devices, "interface"), "type", p.networkType());
        Xml.attr(Xml.add(nic, "source"), "network".equals(p.networkType()) ? "network" : "bridge", p.networkName());
        Xml.attr(Xml.add(nic, "model"), "type", "virtio");
        Element serial = Xml.attr(Xml.add(devices, "serial"), "type", "pty");
        Xml.attr(Xml.add(serial, "target"), "port", "0");
        if (consoleLog != null) { // written by virtlogd, kept across restarts of the guest
            Xml.attr(Xml.attr(Xml.add(serial, "log"), "file", consoleLog), "append", "on");
        }
        Element console = Xml.attr(Xml.add(devices, "console"), "type", "pty");
        Xml.attr(Xml.attr(Xml.add(console, "target"), "type", "serial"), "port", "0");
        // the QEMU guest agent's port: the gateway runs the policy tasks in the node through it
        Element agent = Xml.attr(Xml.add(devices, "channel"), "type", "unix");
        Xml.attr(Xml.attr(Xml.add(agent, "target"), "type", "virtio"), "name", GuestAgent.CHANNEL);
        Element rng = Xml.attr(Xml.add(devices, "rng"), "model", "virtio");
        Xml.attr(Xml.add(rng, "backend", "/dev/urandom"), "model", "random");
        return Xml.serialize(doc);
    }

    private static void disk(Element devices, Disk disk, String dev) {
        Element e = Xml.attr(Xml.attr(Xml.add(devices, "disk"), "type", "volume"), "device", "disk");
        Xml.attr(Xml.attr(Xml.add(e, "driver"), "name", "qemu"), "type", disk.format());
        Xml.attr(Xml.attr(Xml.add(e, "source"), "pool", disk.pool()), "volume", disk.volume());
        Xml.attr(Xml.attr(Xml.add(e, "target"), "dev", dev), "bus", "virtio");
    }

    /**
     * Volume XML.
     *
     * @param backingPath null, or the path of the volume this one is a copy-on-write overlay of
     */
    static String volume(String name, long capacityBytes, String format, String backingPath, String backingFormat) {
        Document doc = Xml.newDocument();
        Element volume = Xml.add(doc, "volume");
        Xml.add(volume, "name", name);
        Xml.attr(Xml.add(volume, "capacity", Long.toString(capacityBytes)), "unit", "bytes");
        Element target = Xml.add(volume, "target");
        Xml.attr(Xml.add(target, "format"), "type", format);
        if (backingPath != null) {
            Element backing = Xml.add(volume, "backingStore");
            Xml.add(backing, "path", backingPath);
            Xml.attr(Xml.add(backing, "format"), "type", backingFormat);
        }
        return Xml.serialize(doc);
    }
}
