package io.edgefleet.gateway.tasks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks of what a policy command brings from the network before anything uses it: directories,
 * port numbers, timeouts and presigned URLs. Every failure is a {@link TaskFailedException} whose message
 * names the bad value.
 */
final class TaskInputs {

    static final int MAX_PATHS = 64;
    static final int MAX_PORTS = 1024;
    static final int MAX_TIMEOUT_SECONDS = 24 * 3600;
    private static final int MAX_PATH_LENGTH = 1024;

    private TaskInputs() {}

    /**
     * An absolute directory in the node, normalised (no trailing '/'), without '.', '..', '//', control
     * characters; never "/" itself (a backup of the whole node, a restore that empties it).
     */
    static String directory(String path) throws TaskFailedException {
        if (path == null
                || !path.startsWith("/")
                || path.length() > MAX_PATH_LENGTH
                || path.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new TaskFailedException(
                    "path '" + shown(path) + "' must be an absolute directory path without control characters");
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.equals("/")) {
            throw new TaskFailedException("path '/' is not allowed: name the node's data directories");
        }
        for (String segment : trimmed.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new TaskFailedException("path '" + shown(path) + "' must not contain '.', '..' or '//'");
            }
        }
        return trimmed;
    }

    /** Directories, checked, duplicates and directories inside another listed one dropped (order kept). */
    static List<String> directories(List<String> paths) throws TaskFailedException {
        if (paths != null && paths.size() > MAX_PATHS) {
            throw new TaskFailedException("at most " + MAX_PATHS + " paths, got " + paths.size());
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String p : paths == null ? List.<String>of() : paths) {
            unique.add(directory(p));
        }
        List<String> result = new ArrayList<>();
        for (String p : unique) {
            if (unique.stream().noneMatch(other -> !other.equals(p) && p.startsWith(other + "/"))) {
                result.add(p);
            }
        }
        return result;
    }

    static List<Integer> ports(List<Integer> ports) throws TaskFailedException {
        if (ports == null) {
            return List.of();
        }
        if (ports.size() > MAX_PORTS) {
            throw new TaskFailedException("at most " + MAX_PORTS + " forbidden ports, got " + ports.size());
        }
        for (Integer port : ports) {
            if (port == null || port < 1 || port > 65535) {
                throw new TaskFailedException("port " + port + " is not a TCP port (1 to 65535)");
            }
        }
        return List.copyOf(new LinkedHashSet<>(ports));
    }

    /** Seconds, 0 meaning {@code defaultSeconds}. */
    static int timeoutSeconds(int seconds, int defaultSeconds) throws TaskFailedException {
        if (seconds < 0 || seconds > MAX_TIMEOUT_SECONDS) {
            throw new TaskFailedException("timeoutSeconds " + seconds + " must be between 0 (default " + defaultSeconds
                    + ") and " + MAX_TIMEOUT_SECONDS);
        }
        return seconds == 0 ? defaultSeconds : seconds;
    }

    /** An http(s) URL with a host. The message never shows the URL: its query is a credential. */
    static URI presignedUrl(String url, String what) throws TaskFailedException {
        if (url == null || url.isBlank()) {
            throw new TaskFailedException(what + " is missing");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new TaskFailedException(what + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new TaskFailedException(what + " must be an http or https URL with a host");
        }
        return uri;
    }

    /** "host:port" of a URL: what may be logged and reported of a presigned URL. */
    static String hostAndPort(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    static String sha256(String value) throws TaskFailedException {
        if (value == null || !value.matches("[0-9a-fA-F]{64}")) {
            throw new TaskFailedException("sha256 '" + shown(value) + "' must be 64 hexadecimal digits");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String cleaned = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return cleaned.length() > 80 ? cleaned.substring(0, 80) + "…" : cleaned;
    }
}
