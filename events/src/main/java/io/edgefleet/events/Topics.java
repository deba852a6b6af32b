package io.edgefleet.events;

/** Kafka topic names. Entity topics are keyed by entity id, gateway topics by appliance uid. */
public final class Topics {
    public static final String APPLIANCE_EVENTS = "appliance-events";
    public static final String PROFILE_EVENTS = "profile-events";
    public static final String CLUSTER_EVENTS = "cluster-events";
    public static final String POLICY_EVENTS = "policy-events";
    public static final String GATEWAY_COMMANDS = "gateway-commands";
    public static final String GATEWAY_REPORTS = "gateway-reports";
    /** Records a consumer could not read (malformed, or refused by its handler as such), with the reason in headers. */
    public static final String DEAD_LETTERS = "dead-letters";

    private Topics() {}
}
