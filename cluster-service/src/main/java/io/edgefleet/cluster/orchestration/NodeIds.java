package io.edgefleet.cluster.orchestration;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ids that end up in container and domain names on the appliances, so they follow the gateway's rule
 * ({@code [a-z0-9-]}, at most 40 characters, starting and ending alphanumeric).
 */
public final class NodeIds {

    /** The gateway's {@code NodeNames.ID}. */
    public static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");

    private static final int MAX_PREFIX = 35; // + "-" + 4 hex = 40
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeIds() {}

    /** {@code c} + 8 hex digits. */
    public static String clusterId() {
        return "c" + hex(4);
    }

    /** {@code <pool>-<4 hex>}, the pool name cut to fit, unique among {@code taken}. */
    public static String nodeId(String poolName, Set<String> taken) {
        String prefix = poolName.length() > MAX_PREFIX ? poolName.substring(0, MAX_PREFIX) : poolName;
        while (prefix.endsWith("-")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        for (int attempt = 0; ; attempt++) {
            String id = (prefix.isEmpty() ? "n" : prefix) + "-" + hex(2);
            if (!taken.contains(id) && ID.matcher(id).matches()) {
                return id;
            }
            if (attempt > 10_000) {
                throw new IllegalStateException("no free node id for pool " + poolName);
            }
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
