package io.edgefleet.events;

import java.util.regex.Pattern;

/**
 * MQTT topics of the edge link: {@code edgefleet/<tenant>/<uid>/commands} (bridge to gateway) and
 * {@code edgefleet/<tenant>/<uid>/reports} (gateway to bridge). The broker lets a device with the certificate
 * identity {@code <tenant>/<uid>} read only its commands and write only its reports, so a topic names a
 * verified sender.
 */
public final class EdgeTopics {

    public static final String ROOT = "edgefleet";
    public static final String COMMANDS = "commands";
    public static final String REPORTS = "reports";
    /** What the bridge subscribes to, shared between its instances. */
    public static final String SHARED_REPORTS = "$share/edge-bridge/" + ROOT + "/+/+/" + REPORTS;
    /**
     * Tenant ids and uids as identities: letters, digits, '.', '_', '-', starting and ending with a letter or
     * digit, at most 64 characters. They become topic levels and a certificate's CN, so '/', '+', '#' and
     * control characters can never occur.
     */
    /**
     * The MQTT session expiry of every gateway and bridge instance: never (the MQTT 5 maximum). Mosquitto 2.0.11 lists
     * an offline session with a finite expiry for expiry once more at every reload (SIGHUP, which the access sync sends
     * on each revocation) and then crashes, use after free, when that client returns or the broker stops
     * (EdgeSessionTest). A session that never expires is never listed. Sessions end explicitly instead: a new
     * enrolment connects with clean start, deletion and revocation take the session over.
     */
    public static final long SESSION_NEVER_EXPIRES = 0xFFFF_FFFFL;

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62}[A-Za-z0-9])?");

    private EdgeTopics() {}

    /** The appliance's identity as the broker sees it: the certificate's CN and the MQTT user name. */
    public static String identity(String tenant, String uid) {
        return checked(tenant, "tenant") + "/" + checked(uid, "uid");
    }

    public static String commands(String tenant, String uid) {
        return ROOT + "/" + identity(tenant, uid) + "/" + COMMANDS;
    }

    public static String reports(String tenant, String uid) {
        return ROOT + "/" + identity(tenant, uid) + "/" + REPORTS;
    }

    /** Whether {@code value} can be a tenant id or uid on the edge link. */
    public static boolean validName(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    /** Parses {@code edgefleet/<tenant>/<uid>/<kind>}; null when the topic is not of that form. */
    public static Address parse(String topic) {
        if (topic == null) {
            return null;
        }
        String[] levels = topic.split("/", -1);
        if (levels.length != 4
                || !ROOT.equals(levels[0])
                || !validName(levels[1])
                || !validName(levels[2])
                || !(COMMANDS.equals(levels[3]) || REPORTS.equals(levels[3]))) {
            return null;
        }
        return new Address(levels[1], levels[2], levels[3]);
    }

    /** Parses a certificate identity {@code <tenant>/<uid>}; null when it is not one. */
    public static Address parseIdentity(String identity) {
        return identity == null ? null : parse(ROOT + "/" + identity + "/" + COMMANDS);
    }

    /** A parsed topic: whose it is and which direction. */
    public record Address(String tenant, String uid, String kind) {
        public String identity() {
            return tenant + "/" + uid;
        }
    }

    private static String checked(String value, String what) {
        if (!validName(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' cannot be an edge identity");
        }
        return value;
    }
}
