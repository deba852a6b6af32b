package io.edgefleet.sdk;

import io.edgefleet.sdk.api.ApplianceAuditApi;
import io.edgefleet.sdk.api.AppliancesApi;
import io.edgefleet.sdk.api.BackupsApi;
import io.edgefleet.sdk.api.ClusterAuditApi;
import io.edgefleet.sdk.api.ClustersApi;
import io.edgefleet.sdk.api.PacksApi;
import io.edgefleet.sdk.api.PoliciesApi;
import io.edgefleet.sdk.api.PolicyAuditApi;
import io.edgefleet.sdk.api.ProfileAuditApi;
import io.edgefleet.sdk.api.ProfilesApi;
import io.edgefleet.sdk.api.RegistrationTokensApi;
import io.edgefleet.sdk.api.RegistriesApi;
import io.edgefleet.sdk.api.RestoresApi;
import io.edgefleet.sdk.api.RolloutsApi;
import io.edgefleet.sdk.api.ScansApi;
import io.edgefleet.sdk.client.ApiClient;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The EdgeFleet management API in one object: each service at its address, every request with the caller's bearer
 * token (a supplier, so a refreshed token is used as soon as it exists).
 * <pre>{@code
 * EdgeFleet fleet = EdgeFleet.builder().localStack().bearerToken(() -> token).build();
 * ApplianceView a = fleet.appliances().getAppliance("shop-17");
 * }</pre>
 */
public final class EdgeFleet {

    private final ApiClient appliance;
    private final ApiClient profile;
    private final ApiClient cluster;
    private final ApiClient policy;

    private EdgeFleet(Builder b) {
        appliance = client(b.applianceService, b);
        profile = client(b.profileService, b);
        cluster = client(b.clusterService, b);
        policy = client(b.policyService, b);
    }

    public static Builder builder() {
        return new Builder();
    }

    public AppliancesApi appliances() {
        return new AppliancesApi(appliance);
    }

    public RegistrationTokensApi registrationTokens() {
        return new RegistrationTokensApi(appliance);
    }

    public PacksApi packs() {
        return new PacksApi(profile);
    }

    public RegistriesApi registries() {
        return new RegistriesApi(profile);
    }

    public ProfilesApi profiles() {
        return new ProfilesApi(profile);
    }

    public ClustersApi clusters() {
        return new ClustersApi(cluster);
    }

    /** Rollouts of a profile version over many clusters (cluster-service). */
    public RolloutsApi rollouts() {
        return new RolloutsApi(cluster);
    }

    /** A cluster's progress as it happens (Server-Sent Events). */
    public ClusterProgress clusterProgress() {
        return new ClusterProgress(cluster);
    }

    public PoliciesApi policies() {
        return new PoliciesApi(policy);
    }

    public ScansApi scans() {
        return new ScansApi(policy);
    }

    public BackupsApi backups() {
        return new BackupsApi(policy);
    }

    public RestoresApi restores() {
        return new RestoresApi(policy);
    }

    /** Each service's audit log ({@code GET /v1/audit}: the tenant's writes to that service; tenant admins only). */
    public ApplianceAuditApi applianceAudit() {
        return new ApplianceAuditApi(appliance);
    }

    public ProfileAuditApi profileAudit() {
        return new ProfileAuditApi(profile);
    }

    public ClusterAuditApi clusterAudit() {
        return new ClusterAuditApi(cluster);
    }

    public PolicyAuditApi policyAudit() {
        return new PolicyAuditApi(policy);
    }

    private static ApiClient client(String baseUri, Builder b) {
        Objects.requireNonNull(baseUri, "every service's address is needed (or localStack())");
        Supplier<String> token = Objects.requireNonNull(b.token, "a bearer token supplier is needed");
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUri.endsWith("/") ? baseUri.substring(0, baseUri.length() - 1) : baseUri);
        client.setConnectTimeout(b.connectTimeout);
        client.setReadTimeout(b.readTimeout);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token.get()));
        return client;
    }

    public static final class Builder {
        private String applianceService;
        private String profileService;
        private String clusterService;
        private String policyService;
        private Supplier<String> token;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);

        private Builder() {}

        /** The services of deploy/local on this machine (ports 18081–18084). */
        public Builder localStack() {
            return localStack("localhost");
        }

        public Builder localStack(String host) {
            return applianceService("http://" + host + ":18081")
                    .profileService("http://" + host + ":18082")
                    .clusterService("http://" + host + ":18083")
                    .policyService("http://" + host + ":18084");
        }

        public Builder applianceService(String baseUri) {
            this.applianceService = baseUri;
            return this;
        }

        public Builder profileService(String baseUri) {
            this.profileService = baseUri;
            return this;
        }

        public Builder clusterService(String baseUri) {
            this.clusterService = baseUri;
            return this;
        }

        public Builder policyService(String baseUri) {
            this.policyService = baseUri;
            return this;
        }

        public Builder bearerToken(Supplier<String> token) {
            this.token = token;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long one request may wait for its answer (not a progress stream: that has its own limit). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        public EdgeFleet build() {
            return new EdgeFleet(this);
        }
    }
}
