package io.edgefleet.gateway.nodes.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import io.edgefleet.gateway.nodes.NodeDriverException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where a node's image comes from when the Docker engine does not have it, by the installation's mode ({@code -m}).
 * <ul>
 *   <li><b>online</b>: the engine pulls it from its registry (dockerd's own registry and proxy settings).
 *   <li><b>offline</b>: nothing is pulled — the installation reaches nothing outside the management plane. The image is
 *       loaded from the installer's bundle ({@code dist/images/*.tar}, {@code docker save} archives, matched by the
 *       tags in their {@code manifest.json}); an image in neither place fails the node's creation saying so.
 * </ul>
 */
public final class NodeImages {

    private static final Logger LOG = Logger.getLogger(NodeImages.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(15);

    private final Path bundleImages;

    private NodeImages(Path bundleImages) {
        this.bundleImages = bundleImages;
    }

    /** Online: an image the engine lacks is pulled. */
    public static NodeImages online() {
        return new NodeImages(null);
    }

    /** Offline: never pulled; taken from the bundle's images directory, else refused. */
    public static NodeImages offline(Path bundleImages) {
        return new NodeImages(bundleImages.toAbsolutePath());
    }

    public boolean offline() {
        return bundleImages != null;
    }

    /** Makes sure the engine has the image; called before a node's container is created. */
    void ensure(DockerClient docker, String image) throws NodeDriverException {
        if (present(docker, image)) {
            return;
        }
        if (offline()) {
            Optional<Path> archive = bundled(image);
            if (archive.isEmpty()) {
                throw new NodeDriverException("offline installation: node image " + image
                        + " is not in the Docker engine nor in the bundle (" + bundleImages
                        + "); nothing is pulled from a registry in offline mode: ship it in the installer's bundle or "
                        + "docker load it on the appliance");
            }
            LOG.infof(
                    "offline: loading node image %s from the bundle (%s)",
                    image, archive.get().getFileName());
            try (InputStream in = Files.newInputStream(archive.get())) {
                docker.loadImageCmd(in).exec();
            } catch (IOException | DockerException e) {
                throw new NodeDriverException(
                        "offline installation: node image " + image + " could not be loaded from " + archive.get()
                                + ": " + e.getMessage(),
                        e);
            }
            if (!present(docker, image)) {
                throw new NodeDriverException("offline installation: " + archive.get() + " was loaded but holds no "
                        + image + " (its manifest.json says it does)");
            }
            return;
        }
        LOG.infof("node image %s is not in the Docker engine: pulling it", image);
        try {
            boolean done = docker.pullImageCmd(image)
                    .exec(new ResultCallback.Adapter<PullResponseItem>())
                    .awaitCompletion(PULL_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
            if (!done) {
                throw new NodeDriverException(
                        "node image " + image + " was not pulled within " + PULL_TIMEOUT.toMinutes() + " min");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeDriverException("interrupted while pulling node image " + image, e);
        } catch (DockerException e) {
            throw new NodeDriverException(
                    "node image " + image + " is not on this appliance and could not be pulled: " + e.getMessage(), e);
        }
        if (!present(docker, image)) {
            throw new NodeDriverException(
                    "node image " + image + " is not on this appliance and the pull did not bring it");
        }
    }

    private static boolean present(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The bundle's archive whose manifest tags the image, if any. */
    Optional<Path> bundled(String image) {
        if (!Files.isDirectory(bundleImages)) {
            return Optional.empty();
        }
        String wanted = normalized(image);
        try (Stream<Path> files = Files.list(bundleImages)) {
            for (Path archive : files.filter(f -> f.getFileName().toString().endsWith(".tar"))
                    .sorted()
                    .toList()) {
                if (tags(archive).stream().map(NodeImages::normalized).anyMatch(wanted::equals)) {
                    return Optional.of(archive);
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot list the bundle's images in %s: %s", bundleImages, e.getMessage());
        }
        return Optional.empty();
    }

    /** The RepoTags of a {@code docker save} archive's manifest.json; none when it is not one. */
    static List<String> tags(Path archive) {
        List<String> tags = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().equals("manifest.json")) {
                    for (JsonNode image : JSON.readTree(tar.readAllBytes())) {
                        image.path("RepoTags").forEach(t -> tags.add(t.asText()));
                    }
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "%s in the bundle is not an image archive (docker save): %s",
                    archive.getFileName(), e.getMessage());
        }
        return tags;
    }

    /** {@code busybox} and {@code docker.io/library/busybox:latest} are one image. */
    static String normalized(String image) {
        String name = image;
        int slash = name.lastIndexOf('/');
        if (name.indexOf(':', slash + 1) < 0 && !name.contains("@")) {
            name = name + ":latest";
        }
        if (name.startsWith("docker.io/")) {
            name = name.substring("docker.io/".length());
        }
        if (name.startsWith("library/")) {
            name = name.substring("library/".length());
        }
        return name;
    }
}
