package io.edgefleet.appliance.tokens;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * The answer to creating a registration token: its view and, this one time, the secret {@code token}
 * ({@code eft_...}). Only its SHA-256 is kept, so it cannot be shown again.
 */
public record CreatedRegistrationToken(String token, @JsonUnwrapped RegistrationTokenView view) {
}
