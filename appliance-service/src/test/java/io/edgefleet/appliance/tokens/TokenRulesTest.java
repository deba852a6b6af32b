package io.edgefleet.appliance.tokens;

import io.edgefleet.kit.rest.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules behind tokens that need no application: secret shape and hash, which tenants may have tokens. */
class TokenRulesTest {

    @Test
    void secretsAreRandomWellFormedAndHashedWhole() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String secret = TokenSecrets.newSecret();
            assertTrue(secret.matches("eft_[A-Za-z0-9_-]{43}"), secret.substring(0, 4));
            assertTrue(TokenSecrets.wellFormed(secret));
            assertTrue(seen.add(secret));
        }
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", TokenSecrets.hash(""));
        assertFalse(TokenSecrets.wellFormed("eft_short"));
        assertFalse(TokenSecrets.wellFormed("xyz_" + "a".repeat(43)));
        assertFalse(TokenSecrets.wellFormed("eft_" + "a".repeat(42) + "="));
        assertFalse(TokenSecrets.wellFormed(null));
    }

    @Test
    void onlyTenantsThatAreEdgeNamesGetTokens() {
        assertDoesNotThrow(() -> RegistrationTokenService.requireEdgeTenant("tenant-a"));
        for (String tenant : new String[] {"a/b", "", "-a", "a+b", "x".repeat(65), "a#"}) {
            ProblemException e =
                    assertThrows(ProblemException.class, () -> RegistrationTokenService.requireEdgeTenant(tenant));
            assertEquals(403, e.status());
            assertEquals("tenant", e.toProblem("/v1/registration-tokens").field());
        }
    }
}
