package io.edgefleet.appliance.certificates;

import io.edgefleet.appliance.ca.EdgeCa;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CRL the edge CA publishes. It is signed anew only when what it lists changed or it is a day old (of its
 * 7 days' validity): each new CRL makes every bridge install it and reload Mosquitto, and signing on each
 * unauthenticated GET would let anyone keep the CA signing. Each instance keeps its own; the numbers come from
 * one database sequence, so they grow across instances.
 */
@ApplicationScoped
public class CrlIssuer {

    static final Duration REISSUE_AFTER = Duration.ofDays(1);

    private record Issued(List<EdgeCa.Revoked> revoked, Instant thisUpdate, String pem) {}

    @Inject
    EdgeCa ca;

    @Inject
    CertificateRepository certificates;

    private final AtomicReference<Issued> current = new AtomicReference<>();

    /** The current CRL (PEM); call within a session. */
    public Uni<String> current(Instant now) {
        return certificates.revokedUnexpired(now).chain(revoked -> {
            Issued issued = current.get();
            if (issued != null
                    && issued.revoked().equals(revoked)
                    && issued.thisUpdate().plus(REISSUE_AFTER).isAfter(now)) {
                return Uni.createFrom().item(issued.pem());
            }
            return certificates.nextCrlNumber().map(number -> {
                String pem = ca.crl(revoked, number, now);
                current.set(new Issued(revoked, now, pem));
                return pem;
            });
        });
    }
}
