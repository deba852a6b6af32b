package io.edgefleet.cluster.service;

import io.edgefleet.cluster.repository.Placement;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.kit.rest.Problem;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The storage-pool rules of pre-flight without I/O: a named pool must be one the appliance reported, and a pool the
 * nodes' disks go to must not be one its gateway found QEMU cannot use — refused naming the field, in the gateway's
 * words.
 */
class StoragePoolsTest {

    private static final String WHY = "storage pool 'locked': QEMU runs as uid 64055 and cannot enter /root (mode 0700,"
            + " owner 0:0). Make it searchable (chmod o+x /root)";
    private static final List<Inventory.StoragePool> REPORTED = List.of(
            new Inventory.StoragePool("images", 1, 1),
            new Inventory.StoragePool("vms", 1, 1, null),
            new Inventory.StoragePool("locked", 1, 1, WHY));

    private static List<String> check(String image, String target, String data, boolean dataDisk) {
        Validator v = new Validator();
        StoragePools.check(
                REPORTED,
                new Placement("kvm-1", "network", "default", image, target, data),
                dataDisk,
                "pools[0].appliances[0]",
                "pool 'cp', appliance 'kvm-1': ",
                v);
        try {
            v.throwIfInvalid();
            return List.of();
        } catch (ProblemException e) {
            return e.toProblem(null).errors().stream()
                    .map(Problem.FieldError::toString)
                    .toList();
        }
    }

    private static String error(String field, String message) {
        return new Problem.FieldError("pools[0].appliances[0]." + field, "pool 'cp', appliance 'kvm-1': " + message)
                .toString();
    }

    @Test
    void aReportWithoutPoolsOrWithANamelessPoolIsJudgedNotThrown() {
        Validator v = new Validator();
        List<Inventory.StoragePool> odd = new ArrayList<>();
        odd.add(null);
        odd.add(new Inventory.StoragePool(null, 1, 1, "no name"));
        odd.add(new Inventory.StoragePool("vms", 1, 1));
        Placement placement = new Placement("kvm-1", "network", "default", "vms", "vms", null);
        StoragePools.check(odd, placement, false, "at", "", v);
        StoragePools.check(null, placement, false, "at", "", v);
        ProblemException refused = assertThrows(ProblemException.class, v::throwIfInvalid);
        assertEquals(
                List.of("at.imagePool", "at.targetPool"),
                refused.toProblem(null).errors().stream()
                        .map(Problem.FieldError::field)
                        .distinct()
                        .toList(),
                "only the list that was missing refuses the pools; the nameless and null entries are skipped");
    }

    @Test
    void usablePoolsPass() {
        assertEquals(List.of(), check("images", "vms", "vms", true));
    }

    @Test
    void aTargetPoolQemuCannotUseIsRefusedWithTheGatewaysReason() {
        assertEquals(
                List.of(error("targetPool", "QEMU could not use it for the nodes' disks: " + WHY)),
                check("images", "locked", "vms", false));
    }

    @Test
    void aDataPoolCountsOnlyWhenTheNodesGetADataDisk() {
        assertEquals(
                List.of(error("dataPool", "QEMU could not use it for the nodes' disks: " + WHY)),
                check("images", "vms", "locked", true));
        assertEquals(List.of(), check("images", "vms", "locked", false));
    }

    @Test
    void theImagePoolOnlyHoldsTheBaseImage() {
        assertEquals(List.of(), check("locked", "vms", "vms", true));
    }

    @Test
    void everyUnknownOrUnusablePoolIsNamedAtOnce() {
        assertEquals(
                List.of(
                        error("imagePool", "storage pool 'ssd' is not among its storage pools [images, locked, vms]"),
                        error("targetPool", "QEMU could not use it for the nodes' disks: " + WHY),
                        error("dataPool", "storage pool 'nvme' is not among its storage pools [images, locked, vms]")),
                check("ssd", "locked", "nvme", true));
    }
}
