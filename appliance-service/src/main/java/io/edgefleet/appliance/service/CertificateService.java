package io.edgefleet.appliance.service;

import io.edgefleet.appliance.certificates.ApplianceCertificate;
import io.edgefleet.appliance.certificates.CertificateRepository;
import io.edgefleet.appliance.certificates.RevocationReason;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.EdgeIdentity;
import io.edgefleet.kit.rest.Page;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;

/** An appliance's certificates as operators see them: the list, and cutting the appliance off. */
@ApplicationScoped
public class CertificateService {

    private static final Logger LOG = Logger.getLogger(CertificateService.class);

    @Inject
    ApplianceService appliances;

    @Inject
    CertificateRepository certificates;

    @WithSession
    public Uni<Page<ApplianceCertificate>> list(String tenant, String uid, int page, int size) {
        return ApplianceService.registered(tenant, uid).chain(appliance -> certificates.of(appliance, page, size));
    }

    /**
     * Revokes every certificate of the appliance (REVOKED) and publishes its identity REVOKED, so the edge link
     * cuts it off; it is back only after a re-enrolment with a token issued for its uid. Nothing to revoke: no change.
     */
    @WithTransaction
    public Uni<Void> revokeAll(String tenant, String uid, String by) {
        Instant now = Instant.now();
        return appliances
                .lockRegistered(tenant, uid)
                .chain(appliance -> certificates
                        .revokeAll(tenant, uid, RevocationReason.REVOKED, now)
                        .chain(revoked -> {
                            if (revoked == 0 && appliance.identityStatus != EdgeIdentity.Status.ENROLLED) {
                                return Uni.createFrom().voidItem();
                            }
                            LOG.infof(
                                    "appliance '%s' of tenant %s: %d certificate(s) revoked by %s",
                                    uid, tenant, revoked, by);
                            appliance.certificatesRevoked(now);
                            return appliances.saveAndPublish(appliance, EventTypes.APPLIANCE_CREDENTIALS_REVOKED);
                        }));
    }
}
