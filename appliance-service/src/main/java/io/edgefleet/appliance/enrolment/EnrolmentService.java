package io.edgefleet.appliance.enrolment;

import io.edgefleet.appliance.ca.CertificateRequests;
import io.edgefleet.appliance.ca.EdgeCa;
import io.edgefleet.appliance.certificates.ApplianceCertificate;
import io.edgefleet.appliance.certificates.CertificateRepository;
import io.edgefleet.appliance.certificates.RevocationReason;
import io.edgefleet.appliance.config.ApplianceConfig;
import io.edgefleet.appliance.repository.Appliance;
import io.edgefleet.appliance.service.ApplianceService;
import io.edgefleet.appliance.tokens.RegistrationToken;
import io.edgefleet.appliance.tokens.RegistrationTokenService;
import io.edgefleet.events.EventTypes;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.UUID;

/**
 * Enrolment (a registration token and a CSR give an appliance its certificate) and renewal (the current certificate
 * gives it the next one). Everything one request changes — the token's use, the certificate, the appliance and its
 * event — commits in one transaction; a refused request changes nothing.
 */
@ApplicationScoped
public class EnrolmentService {

    private static final Logger LOG = Logger.getLogger(EnrolmentService.class);

    @Inject
    EdgeCa ca;

    @Inject
    ApplianceConfig config;

    @Inject
    RegistrationTokenService tokens;

    @Inject
    ApplianceService appliances;

    @Inject
    CertificateRepository certificates;

    /**
     * Enrols {@code uid} with the registration token {@code secret}. The token row is locked first, so concurrent
     * enrolments with one token count its uses one at a time; losing a race to register the same new uid with
     * another token retries the whole transaction (it then finds the appliance enrolled: 409).
     */
    public Uni<EnrolmentAnswer> enrol(String secret, String uid, CertificateRequests.Verified csr) {
        ca.requireConfigured();
        return Panache.withTransaction(() -> enrolOnce(secret, uid, csr))
                .onFailure(ApplianceService::isDuplicateUid)
                .retry()
                .atMost(2)
                .invoke(done -> LOG.infof(
                        "appliance '%s' of tenant %s %s with token %s: certificate %s (%s) until %s%s",
                        uid,
                        done.answer().tenant(),
                        done.superseded() < 0 ? "enrolled" : "re-enrolled",
                        done.tokenId(),
                        done.answer().serial(),
                        csr.keyType(),
                        done.answer().notAfter(),
                        done.superseded() > 0
                                ? ", " + done.superseded() + " earlier certificate(s) revoked (SUPERSEDED)"
                                : ""))
                .map(Enrolled::answer);
    }

    /** What an enrolment did, for the log once it committed; {@code superseded} is -1 for a first enrolment. */
    private record Enrolled(EnrolmentAnswer answer, UUID tokenId, int superseded) {}

    private Uni<Enrolled> enrolOnce(String secret, String uid, CertificateRequests.Verified csr) {
        Instant now = Instant.now();
        return tokens.lockBySecret(secret).chain(token -> {
            checkUsable(token, uid, now);
            String tenant = token.tenant;
            return appliances.lock(tenant, uid).chain(existing -> {
                boolean registered = existing != null && existing.registered;
                boolean reEnrolment = registered && existing.everEnrolled();
                if (reEnrolment && !uid.equals(token.uid)) {
                    LOG.infof(
                            "enrolment of '%s' in tenant %s refused: it had a certificate and token %s is not for its uid",
                            uid, tenant, token.id);
                    throw EnrolmentProblems.reEnrolmentNeedsUidToken(uid);
                }
                // an unknown uid is registered with the token's tags (UNPAIRED until its first report)
                Uni<Appliance> target =
                        registered ? Uni.createFrom().item(existing) : appliances.registerOnce(tenant, uid, token.tags);
                return target.chain(appliance -> (reEnrolment
                                ? certificates.revokeAll(tenant, uid, RevocationReason.SUPERSEDED, now)
                                : Uni.createFrom().item(-1))
                        .chain(superseded -> issue(
                                        appliance,
                                        csr,
                                        ApplianceCertificate.IssuedFor.ENROLMENT,
                                        token.id,
                                        EventTypes.APPLIANCE_ENROLLED,
                                        now)
                                .call(() -> countUse(token, now))
                                .map(answer -> new Enrolled(answer, token.id, superseded))));
            });
        });
    }

    /** 401 for a token that cannot be used, 403 for one issued for another uid. */
    private static void checkUsable(RegistrationToken token, String uid, Instant now) {
        if (token == null) {
            LOG.infof("enrolment of '%s' refused: unknown registration token", uid);
            throw EnrolmentProblems.badToken("the registration token is unknown");
        }
        RegistrationToken.Status status = token.status(now);
        if (status != RegistrationToken.Status.ACTIVE) {
            LOG.infof(
                    "enrolment of '%s' in tenant %s refused: registration token %s is %s",
                    uid, token.tenant, token.id, status);
        }
        switch (status) {
            case REVOKED -> throw EnrolmentProblems.badToken("the registration token was revoked");
            case USED_UP ->
                throw EnrolmentProblems.badToken(
                        "the registration token is used up (" + token.uses + " of " + token.maxUses + " uses)");
            case EXPIRED -> throw EnrolmentProblems.badToken("the registration token expired at " + token.expiresAt);
            case ACTIVE -> {
                if (token.uid != null && !token.uid.equals(uid)) {
                    LOG.infof(
                            "enrolment of '%s' in tenant %s refused: token %s is for another uid",
                            uid, token.tenant, token.id);
                    throw EnrolmentProblems.otherUid();
                }
            }
        }
    }

    private static Uni<Void> countUse(RegistrationToken token, Instant now) {
        token.uses++;
        token.lastUsedAt = now;
        return token.persistAndFlush().replaceWithVoid();
    }

    /**
     * Renews the certificate presented on the TLS connection ({@code identity}, already checked against the edge CA
     * and the clock): allowed while it is not revoked and issued to the appliance as it exists now. The presented
     * certificate stays valid (it expires on its own).
     */
    public Uni<EnrolmentAnswer> renew(ClientCertificates.Presented identity, CertificateRequests.Verified csr) {
        ca.requireConfigured();
        Instant now = Instant.now();
        return Panache.withTransaction(() -> appliances
                        .lock(identity.tenant(), identity.uid())
                        .chain(appliance -> {
                            if (appliance == null || !appliance.registered) {
                                LOG.infof(
                                        "renewal of '%s' in tenant %s refused: no such appliance",
                                        identity.uid(), identity.tenant());
                                throw EnrolmentProblems.badCertificate(
                                        "the appliance of this certificate does not exist (any more)");
                            }
                            return certificates.bySerial(identity.serialHex()).chain(certificate -> {
                                if (certificate == null || !certificate.applianceId.equals(appliance.id)) {
                                    LOG.infof(
                                            "renewal of '%s' in tenant %s refused: certificate %s is not one of its own",
                                            identity.uid(), identity.tenant(), identity.serialHex());
                                    throw EnrolmentProblems.badCertificate(
                                            "the client certificate is unknown for this appliance");
                                }
                                if (certificate.revokedAt != null) {
                                    LOG.infof(
                                            "renewal of '%s' in tenant %s refused: certificate %s was revoked (%s)",
                                            identity.uid(),
                                            identity.tenant(),
                                            identity.serialHex(),
                                            certificate.revocationReason);
                                    throw EnrolmentProblems.badCertificate("the client certificate was revoked");
                                }
                                return issue(
                                        appliance,
                                        csr,
                                        ApplianceCertificate.IssuedFor.RENEWAL,
                                        null,
                                        EventTypes.APPLIANCE_UPDATED,
                                        now);
                            });
                        }))
                .invoke(answer -> LOG.infof(
                        "appliance '%s' of tenant %s renewed certificate %s: now %s (%s) until %s",
                        identity.uid(),
                        identity.tenant(),
                        identity.serialHex(),
                        answer.serial(),
                        csr.keyType(),
                        answer.notAfter()));
    }

    /** Signs, records the certificate, makes it the appliance's identity and writes {@code eventType}. */
    private Uni<EnrolmentAnswer> issue(
            Appliance appliance,
            CertificateRequests.Verified csr,
            ApplianceCertificate.IssuedFor issuedFor,
            UUID tokenId,
            String eventType,
            Instant now) {
        EdgeCa.Issued issued = ca.issue(appliance.tenant, appliance.uid, csr.publicKey(), now);
        return certificates
                .record(appliance, issued, issuedFor, tokenId, now)
                .chain(row -> {
                    appliance.certificateIssued(issued.serialHex(), issued.notAfter(), now);
                    return appliances.saveAndPublish(appliance, eventType);
                })
                .map(v -> EnrolmentAnswer.of(
                        appliance.tenant,
                        appliance.uid,
                        issued,
                        ca.pem(),
                        config.enrolment().mqttUrl()));
    }
}
