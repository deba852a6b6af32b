package io.edgefleet.console.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.sdk.EdgeFleet;
import io.edgefleet.testsupport.KeycloakServer;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The realm's users (deploy/local/keycloak: admin-a, viewer-a in tenant-a; admin-b in tenant-b) with their
 * passwords, and the API as one of them for a test's own set-up (a token of the realm's command-line client, password
 * grant), straight to appliance-service.
 */
enum RealmUsers {
    ADMIN_A("admin-a"),
    VIEWER_A("viewer-a"),
    ADMIN_B("admin-b");

    static final String NOWHERE = "http://127.0.0.1:9";

    final String username;

    RealmUsers(String username) {
        this.username = username;
    }

    String password() {
        return username + "-pass";
    }

    /** The SDK with this user's token, for data a test needs before the browser looks. */
    EdgeFleet api(KeycloakServer keycloak, String applianceServiceUrl) {
        return api(keycloak, applianceServiceUrl, NOWHERE, NOWHERE);
    }

    /** The SDK with this user's token for the services that run (nothing listens at {@link #NOWHERE}). */
    EdgeFleet api(
            KeycloakServer keycloak, String applianceServiceUrl, String profileServiceUrl, String clusterServiceUrl) {
        return api(keycloak, applianceServiceUrl, profileServiceUrl, clusterServiceUrl, NOWHERE);
    }

    /** The SDK with this user's token for the four services. */
    EdgeFleet api(
            KeycloakServer keycloak,
            String applianceServiceUrl,
            String profileServiceUrl,
            String clusterServiceUrl,
            String policyServiceUrl) {
        String token = token(keycloak);
        return EdgeFleet.builder()
                .applianceService(applianceServiceUrl)
                .profileService(profileServiceUrl)
                .clusterService(clusterServiceUrl)
                .policyService(policyServiceUrl)
                .bearerToken(() -> token)
                .build();
    }

    private String token(KeycloakServer keycloak) {
        String form = "grant_type=password&client_id=edgefleet-cli&username=" + encode(username) + "&password="
                + encode(password());
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("no token for " + username + ": " + answer.body());
            }
            return new ObjectMapper()
                    .readTree(answer.body())
                    .path("access_token")
                    .asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
