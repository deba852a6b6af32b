package io.edgefleet.gateway.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The gateway's files as the installer ships them ({@code edge-gateway.jar}, {@code lib/}, and in an offline bundle
 * {@code images/}), put under {@code DIR/edgefleet-gateway/dist} only after every flag was checked. The new copy is
 * written beside the old one and swapped in by renames, so a failure half-way leaves the earlier installation whole.
 */
final class Distribution {

    static final String DIR = "dist";
    static final String JAR = "edge-gateway.jar";

    private Distribution() {}

    /** What the installer's header unpacked must be a gateway: its jar at least. */
    static void check(Path bundle) {
        if (!Files.isRegularFile(bundle.resolve(JAR))) {
            throw new IllegalArgumentException(
                    "--bundle " + bundle + " holds no " + JAR + ": the installer's payload is damaged");
        }
    }

    /** Copies the bundle to {@code dist} (replacing an earlier installation's) and returns it. */
    static Path install(Path bundle, Path dist) throws IOException {
        Path fresh = dist.resolveSibling(DIR + ".new");
        Path old = dist.resolveSibling(DIR + ".old");
        deleteTree(fresh);
        deleteTree(old);
        copyTree(bundle.toAbsolutePath(), fresh);
        if (Files.exists(dist)) {
            Files.move(dist, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, dist, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
        return dist;
    }

    /** The class path of the installed gateway: its jar (its manifest names lib/). */
    static String classPath(Path dist) {
        return dist.resolve(JAR).toAbsolutePath().toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
