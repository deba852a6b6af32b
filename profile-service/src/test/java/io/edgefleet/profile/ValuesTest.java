package io.edgefleet.profile;

import io.edgefleet.events.net.Cidr;
import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.kit.rest.ProblemException;
import io.edgefleet.kit.rest.Validator;
import io.edgefleet.profile.values.Manifests;
import io.edgefleet.profile.values.PackValueRules;
import io.edgefleet.profile.values.Values;
import io.edgefleet.profile.values.Yaml;
import io.edgefleet.profile.values.YamlException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** YAML values: parsing, merging, manifests and the core-layer checks (no application needed). */
class ValuesTest {

    static List<String> errors(Validator v) {
        try {
            v.throwIfInvalid();
            return List.of();
        } catch (ProblemException e) {
            return e.toProblem(null).errors().stream()
                    .map(f -> f.field() + ": " + f.message())
                    .toList();
        }
    }

    @Test
    void mergesMapsDeeplyReplacesListsAndNullRemoves() throws YamlException {
        Map<String, Object> defaults = Yaml.mapping("""
                a:
                  b: 1
                  c: [1, 2, 3]
                  d: {e: x, f: y}
                keep: true
                drop: me
                """);
        Map<String, Object> merged = Values.merge(defaults, Yaml.mapping("""
                a:
                  c: [9]
                  d: {f: z}
                  new: 2
                drop: null
                """));
        assertEquals(
                Map.of("a", Map.of("b", 1, "c", List.of(9), "d", Map.of("e", "x", "f", "z"), "new", 2), "keep", true),
                merged);
        assertEquals(List.of(1, 2, 3), Values.at(defaults, "a.c"), "the defaults are not changed");
        assertEquals("z", Values.at(merged, "a.d.f"));
        assertNull(Values.at(merged, "a.b.c"));
        assertEquals(Map.of(), Yaml.mapping("# only a comment\n"));
        assertEquals("", Yaml.write(Map.of()));
    }

    @Test
    void rejectsYamlThatIsNotAMappingWithThePosition() {
        YamlException broken = assertThrows(YamlException.class, () -> Yaml.mapping("a:\n  b: [1, 2\nc: 3\n"));
        assertTrue(broken.getMessage().startsWith("is not valid YAML (line"), broken.getMessage());
        assertTrue(assertThrows(YamlException.class, () -> Yaml.mapping("- a\n- b\n"))
                .getMessage()
                .contains("not a list"));
        assertTrue(assertThrows(YamlException.class, () -> Yaml.mapping("just text"))
                .getMessage()
                .contains("not a string"));
        assertTrue(assertThrows(YamlException.class, () -> Yaml.mapping("a: 1\n---\nb: 2\n"))
                .getMessage()
                .contains("single YAML document"));
        String duplicate = assertThrows(YamlException.class, () -> Yaml.mapping("a: 1\na: 2\n"))
                .getMessage();
        assertTrue(duplicate.contains("Duplicate"), duplicate);
        // aliases would be read as plain strings by the parser: refused (which also rules out alias bombs)
        String alias = assertThrows(YamlException.class, () -> Yaml.mapping("base: &b {x: 1}\ncopy: *b\n"))
                .getMessage();
        assertTrue(alias.contains("(line 2, column 7): anchors and aliases (*b) are not supported"), alias);
    }

    @Test
    void manifestsNeedApiVersionKindAndName() {
        Validator ok = new Validator();
        Manifests.check("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: monitoring
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: creds
                  namespace: monitoring
                stringData:
                  token: abc
                """, "m", ok);
        assertEquals(List.of(), errors(ok));

        Validator bad = new Validator();
        Manifests.check("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {}
                ---
                kind: Secret
                metadata: {name: s}
                ---
                - not an object
                """, "m", bad);
        assertEquals(
                List.of(
                        "m: document 1: metadata.name is required",
                        "m: document 2: apiVersion is required",
                        "m: document 3: must be a Kubernetes object (a mapping), not a list"),
                errors(bad));

        Validator broken = new Validator();
        Manifests.check("apiVersion: v1\nkind: [", "m", broken);
        assertTrue(
                errors(broken).get(0).startsWith("m: is not valid YAML"),
                errors(broken).toString());
        Validator empty = new Validator();
        Manifests.check("# nothing\n", "m", empty);
        assertEquals(List.of("m: contains no Kubernetes object"), errors(empty));
    }

    @Test
    void cidrsAreParsedStrictly() {
        assertTrue(Cidr.parse("10.96.0.0/12").overlaps(Cidr.parse("10.100.0.0/16")));
        assertFalse(Cidr.parse("10.96.0.0/12").overlaps(Cidr.parse("192.168.0.0/16")));
        assertFalse(Cidr.parse("fd00::/108").overlaps(Cidr.parse("10.0.0.0/8")), "different families never overlap");
        assertTrue(Cidr.parse("fd00::/64").overlaps(Cidr.parse("fd00::1:0/112")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("192.168.1.5/16"))
                .getMessage()
                .contains("host bits set; the network is 192.168.0.0/16"));
        for (String bad : new String[] {
            "10.96.0.0",
            "10.96.0.0/33",
            "300.1.1.1/8",
            "example.com/8",
            "10.96.0.0/x",
            "/8",
            // as the cluster service and the gateway have it: no leading zeros, no IPv4-mapped IPv6 networks
            "010.96.0.0/12",
            "::ffff:10.0.0.0/104"
        }) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
        }
    }

    @Test
    void kubernetesValuesNeedSeparatePodAndServiceRanges() throws YamlException {
        Validator ok = new Validator();
        PackValueRules.check(
                PackLayer.KUBERNETES,
                Yaml.mapping("pack: {podCIDR: 192.168.0.0/16, serviceCIDR: 10.96.0.0/12}"),
                "v",
                ok);
        assertEquals(List.of(), errors(ok));

        Validator overlap = new Validator();
        PackValueRules.check(
                PackLayer.KUBERNETES,
                Yaml.mapping("pack: {podCIDR: 10.0.0.0/8, serviceCIDR: 10.96.0.0/12}"),
                "v",
                overlap);
        assertEquals(
                List.of(
                        "v.pack.serviceCIDR: '10.96.0.0/12' overlaps the pod CIDR '10.0.0.0/8'; pods and services need separate ranges"),
                errors(overlap));

        Validator malformed = new Validator();
        PackValueRules.check(PackLayer.KUBERNETES, Yaml.mapping("pack: {podCIDR: 192.168.0.0/33}"), "v", malformed);
        assertEquals(
                List.of(
                        "v.pack.podCIDR: '192.168.0.0/33' has a prefix length outside 0..32",
                        "v.pack.serviceCIDR: is required: a CIDR range like 10.96.0.0/12"),
                errors(malformed));
    }

    @Test
    void osFilesNeedPathOwnerModeAndContent() throws YamlException {
        Validator ok = new Validator();
        PackValueRules.check(PackLayer.OS, Yaml.mapping("""
                kubeadmconfig:
                  preKubeadmCommands: [update-ca-certificates]
                  files:
                    - targetPath: /usr/local/share/ca-certificates/mycom.crt
                      targetOwner: "root:root"
                      targetPermissions: "0644"
                      content: |
                        -----BEGIN CERTIFICATE-----
                """), "v", ok);
        assertEquals(List.of(), errors(ok));

        Validator bad = new Validator();
        PackValueRules.check(PackLayer.OS, Yaml.mapping("""
                kubeadmconfig:
                  postKubeadmCommands: echo not a list
                  files:
                    - targetPath: relative/path
                      targetOwner: root
                      targetPermissions: 0644
                """), "v", bad);
        assertEquals(
                List.of(
                        "v.kubeadmconfig.postKubeadmCommands: must be a list of shell commands (strings)",
                        "v.kubeadmconfig.files[0].targetPath: must be an absolute path like /usr/local/share/ca-certificates/my-ca.crt",
                        "v.kubeadmconfig.files[0].targetOwner: must be user:group, e.g. \"root:root\"",
                        "v.kubeadmconfig.files[0].targetPermissions: must be a quoted octal mode like \"0644\"",
                        "v.kubeadmconfig.files[0].content: is required: the file's text"),
                errors(bad));
    }
}
