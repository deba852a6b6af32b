package io.edgefleet.console.fleet;

import io.edgefleet.console.forms.TokenForm;
import io.edgefleet.sdk.client.ApiException;
import io.edgefleet.sdk.model.CreateRegistrationToken;
import io.edgefleet.sdk.model.CreatedRegistrationToken;
import io.edgefleet.sdk.model.RegistrationTokenView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tenant's registration tokens (appliance-service): listed, issued (the secret is shown once), revoked. */
@ApplicationScoped
public class RegistrationTokens {

    static final int SHOWN = 200;

    @Inject
    FleetApi api;

    public List<RegistrationTokenView> list() {
        try {
            var page = api.fleet().registrationTokens().listRegistrationTokens(0, SHOWN, null);
            return page.getItems() == null ? List.of() : page.getItems();
        } catch (ApiException e) {
            throw Appliances.failed(e);
        }
    }

    public Optional<RegistrationTokenView> get(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.fleet().registrationTokens().getRegistrationToken(uuid));
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 400) {
                return Optional.empty();
            }
            throw Appliances.failed(e);
        }
    }

    /** Issues the token of {@code form}: the token with its secret, or empty with the service's errors on the form. */
    public Optional<CreatedRegistrationToken> create(TokenForm form) {
        CreateRegistrationToken request = form.request(OffsetDateTime.now());
        if (request == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.fleet().registrationTokens().createRegistrationToken(request));
        } catch (ApiException e) {
            if (e.getCode() == 400 || e.getCode() == 409) {
                ServiceProblem problem = ServiceProblem.of(e);
                if (problem.fieldErrors().isEmpty()) {
                    form.withError(TokenForm.FORM, problem.detail() == null ? "refused" : problem.detail());
                } else {
                    form.withServiceErrors(problem.fieldErrors());
                }
                return Optional.empty();
            }
            throw Appliances.failed(e);
        }
    }

    public void revoke(UUID id) {
        try {
            api.fleet().registrationTokens().revokeRegistrationToken(id);
        } catch (ApiException e) {
            throw Appliances.failed(e);
        }
    }
}
