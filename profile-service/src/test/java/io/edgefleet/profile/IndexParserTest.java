package io.edgefleet.profile;

import io.edgefleet.events.payload.PackLayer;
import io.edgefleet.profile.catalog.Catalog;
import io.edgefleet.profile.catalog.CatalogException;
import io.edgefleet.profile.catalog.CatalogPack;
import io.edgefleet.profile.catalog.CatalogRelease;
import io.edgefleet.profile.catalog.HelmIndexParser;
import io.edgefleet.profile.catalog.PackIndexParser;
import io.edgefleet.profile.service.BuiltinCatalog;
import io.edgefleet.profile.version.SemVer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in catalog, pack indexes and Helm repository indexes are read right, and bad ones are refused. */
class IndexParserTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = IndexParserTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    static Map<String, CatalogPack> byName(Catalog catalog) {
        return catalog.packs().stream().collect(Collectors.toMap(CatalogPack::name, p -> p));
    }

    @Test
    void theBuiltInCatalogIsValidAndCoversEveryLayer() throws Exception {
        Catalog catalog = PackIndexParser.parse(resource(BuiltinCatalog.RESOURCE));
        Map<PackLayer, Set<String>> layers = catalog.packs().stream()
                .collect(Collectors.groupingBy(
                        CatalogPack::layer, Collectors.mapping(CatalogPack::name, Collectors.toSet())));
        assertEquals(Set.of("ubuntu"), layers.get(PackLayer.OS));
        assertEquals(Set.of("kubernetes"), layers.get(PackLayer.KUBERNETES));
        assertEquals(Set.of("calico", "cilium"), layers.get(PackLayer.NETWORK));
        assertEquals(Set.of("local-path-provisioner", "longhorn"), layers.get(PackLayer.STORAGE));
        assertTrue(layers.get(PackLayer.ADDON).containsAll(Set.of("prometheus-operator", "falco", "metallb")));
        Map<String, String> addonTypes = catalog.packs().stream()
                .filter(p -> p.addonType() != null)
                .collect(Collectors.toMap(CatalogPack::name, CatalogPack::addonType));
        assertEquals("monitoring", addonTypes.get("prometheus-operator"));
        assertEquals("security", addonTypes.get("falco"));
        assertEquals("load-balancer", addonTypes.get("metallb"));
        catalog.packs().forEach(p -> assertTrue(p.releases().size() >= 3, p.name() + " has several releases"));
        catalog.packs()
                .forEach(p -> p.releases()
                        .forEach(r ->
                                assertTrue(!r.presets().isEmpty(), p.name() + " " + r.version() + " has presets")));

        CatalogRelease ubuntu = byName(catalog).get("ubuntu").releases().get(0);
        for (String key : List.of("preKubeadmCommands", "postKubeadmCommands", "files")) {
            assertTrue(ubuntu.defaults().contains(key), key);
        }
        String customCa = ubuntu.presets().stream()
                .filter(p -> p.name().equals("custom-ca"))
                .findFirst()
                .orElseThrow()
                .values();
        for (String key : List.of("targetPath", "targetOwner", "targetPermissions", "content")) {
            assertTrue(customCa.contains(key), key);
        }
        List<String> kubernetes = byName(catalog).get("kubernetes").releases().stream()
                .map(CatalogRelease::version)
                .toList();
        assertTrue(kubernetes.containsAll(List.of("1.27.16", "1.28.13", "1.29.8", "1.30.4")), kubernetes.toString());
        assertTrue(
                byName(catalog).get("kubernetes").releases().get(0).defaults().contains("podCIDR"));
        assertTrue(
                byName(catalog).get("kubernetes").releases().get(0).defaults().contains("serviceCIDR"));
    }

    @Test
    void readsARealWorldHelmIndex() throws Exception {
        Catalog catalog = HelmIndexParser.parse(resource("registries/helm-index.yaml"));
        Map<String, CatalogPack> charts = byName(catalog);
        assertEquals(
                Set.of("ingress-nginx", "cert-manager", "kube-prometheus-stack", "metallb", "nightly-tools"),
                charts.keySet(),
                "the library chart is left out");
        CatalogPack nginx = charts.get("ingress-nginx");
        assertEquals(PackLayer.ADDON, nginx.layer());
        assertEquals(12, nginx.releases().size());
        assertEquals("4.11.0-beta.0", nginx.releases().get(0).version(), "newest first, pre-releases included");
        CatalogRelease v4101 = nginx.releases().stream()
                .filter(r -> r.version().equals("4.10.1"))
                .findFirst()
                .orElseThrow();
        assertEquals("1.10.1", v4101.appVersion());
        assertEquals(64, v4101.digest().length());
        assertEquals(
                List.of(
                        "https://github.com/kubernetes/ingress-nginx/releases/download/helm-chart-4.10.1/ingress-nginx-4.10.1.tgz"),
                v4101.urls());
        assertTrue(v4101.created().isAfter(Instant.parse("2023-01-01T00:00:00Z")));
        assertEquals("", v4101.defaults(), "chart values live in the chart archive");
        assertEquals(
                "v1.14.5",
                charts.get("cert-manager").releases().get(1).version(),
                "versions keep their 'v' as written");
        assertEquals("security", charts.get("cert-manager").addonType());
        assertEquals("monitoring", charts.get("kube-prometheus-stack").addonType());
        assertEquals(
                List.of("1.0.0"),
                charts.get("nightly-tools").releases().stream()
                        .map(CatalogRelease::version)
                        .toList());
        assertTrue(
                catalog.skipped().contains("nightly-tools latest: not a semantic version"),
                catalog.skipped().toString());
        assertTrue(
                catalog.skipped().stream().anyMatch(s -> s.startsWith("common 2.19.0: library chart")),
                catalog.skipped().toString());
        assertTrue(nginx.releases().stream()
                        .map(r -> SemVer.parse(r.version()))
                        .filter(SemVer::isPreRelease)
                        .count()
                == 1);
    }

    @Test
    void malformedHelmIndexesAreRefused() {
        assertMessage("malformed Helm index: is not valid YAML (line", "apiVersion: v1\nentries: [\n");
        assertMessage("malformed Helm index: apiVersion must be v1", "entries: {}\n");
        assertMessage("malformed Helm index: expected a mapping", "- just\n- a list\n");
        assertMessage("malformed Helm index: entries must map chart names", "apiVersion: v1\nentries: [a, b]\n");
        assertMessage(
                "malformed Helm index: entries.nginx must be a list", "apiVersion: v1\nentries:\n  nginx: 1.0.0\n");
        assertMessage("malformed Helm index: expected a mapping", "<html><body>Not a Helm repository</body></html>");
    }

    private static void assertMessage(String start, String index) {
        CatalogException e = assertThrows(
                CatalogException.class, () -> HelmIndexParser.parse(index.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void malformedPackIndexesAreRefusedWithEveryProblemNamed() {
        String index = """
                apiVersion: edgefleet.io/v1
                kind: PackIndex
                packs:
                  - name: Bad Name
                    layer: NETWORK
                    versions: [{version: 1.0.0}]
                  - name: k8s
                    layer: KUBERNETES
                    versions:
                      - version: "1.2"
                        defaults: |
                          pack: {podCIDR: 10.0.0.0/8, serviceCIDR: 10.96.0.0/12}
                      - version: 1.3.0
                        defaults: "pack: [unclosed"
                        presets:
                          - name: p
                            values: "- a list"
                  - name: thing
                    layer: SIDECAR
                    versions: []
                """;
        CatalogException e = assertThrows(
                CatalogException.class, () -> PackIndexParser.parse(index.getBytes(StandardCharsets.UTF_8)));
        String message = e.getMessage();
        for (String expected : List.of(
                "packs[0].name: must be 1-63 lowercase",
                "packs[1].versions[0].version: must be a semantic version",
                "packs[1].versions[0].defaults.pack.serviceCIDR: '10.96.0.0/12' overlaps",
                "packs[1].versions[1].defaults: is not valid YAML",
                "packs[1].versions[1].presets[0].values: must be a YAML mapping",
                "packs[2].layer: must be one of",
                "packs[2].versions: must list at least one version")) {
            assertTrue(message.contains(expected), expected + " in " + message);
        }
        assertThrows(
                CatalogException.class,
                () -> PackIndexParser.parse("apiVersion: v1\nentries: {}\n".getBytes(StandardCharsets.UTF_8)));
    }
}
