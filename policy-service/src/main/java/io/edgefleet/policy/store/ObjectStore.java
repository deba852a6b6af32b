package io.edgefleet.policy.store;

import io.edgefleet.policy.config.PolicyConfig;
import io.edgefleet.policy.repository.PolicySettings.StoreLocation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * S3-compatible object storage of backups (AWS SDK v2). Gateways never get the store's credentials: they
 * get presigned URLs for exactly one object, valid for {@code policy.presigned-url-ttl}. Path-style
 * addressing, so any S3-compatible server (MinIO, Ceph, S3Proxy) works, not only AWS.
 */
@ApplicationScoped
public class ObjectStore {

    private final Duration ttl;
    private final Duration timeout;

    @Inject
    public ObjectStore(PolicyConfig config) {
        this(config.presignedUrlTtl(), config.storeTimeout());
    }

    ObjectStore(Duration ttl, Duration timeout) {
        this.ttl = ttl;
        this.timeout = timeout;
    }

    /** A presigned URL to upload one object with a plain HTTP PUT. */
    public String presignPut(StoreLocation location, String secretKey, String objectKey) {
        try (S3Presigner presigner = presigner(location, secretKey)) {
            return presigner
                    .presignPutObject(p -> p.signatureDuration(ttl)
                            .putObjectRequest(o -> o.bucket(location.bucket()).key(objectKey)))
                    .url()
                    .toString();
        }
    }

    /** A presigned URL to download one object with a plain HTTP GET. */
    public String presignGet(StoreLocation location, String secretKey, String objectKey) {
        try (S3Presigner presigner = presigner(location, secretKey)) {
            return presigner
                    .presignGetObject(p -> p.signatureDuration(ttl)
                            .getObjectRequest(o -> o.bucket(location.bucket()).key(objectKey)))
                    .url()
                    .toString();
        }
    }

    /**
     * Deletes objects (blocking: call from a worker thread). Keys already gone count as deleted.
     *
     * @throws StoreException with a reason an operator can act on
     */
    public void delete(StoreLocation location, String secretKey, List<String> objectKeys) {
        if (objectKeys.isEmpty()) {
            return;
        }
        try (S3Client s3 = client(location, secretKey)) {
            // one request per object: DeleteObjects needs a Content-MD5 that not every S3-compatible server takes alike
            for (String key : objectKeys) {
                s3.deleteObject(d -> d.bucket(location.bucket()).key(key)); // a missing key is not an error in S3
            }
        } catch (S3Exception e) {
            throw new StoreException(reason(location, e));
        } catch (SdkClientException e) {
            throw new StoreException("object store unreachable at " + location.endpoint() + ": " + e.getMessage());
        }
    }

    static String reason(StoreLocation location, S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null
                ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
        return "object store " + location.endpoint() + " bucket '" + location.bucket() + "' answered " + e.statusCode()
                + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
    }

    private S3Presigner presigner(StoreLocation location, String secretKey) {
        return S3Presigner.builder()
                .endpointOverride(URI.create(location.endpoint()))
                .region(Region.of(location.region()))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(location.accessKeyId(), secretKey)))
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    private S3Client client(StoreLocation location, String secretKey) {
        return S3Client.builder()
                .endpointOverride(URI.create(location.endpoint()))
                .region(Region.of(location.region()))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(location.accessKeyId(), secretKey)))
                .forcePathStyle(true)
                // checksums only where S3 requires them: S3-compatible servers differ on the newer ones
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeout)
                        .socketTimeout(timeout)
                        .build())
                .build();
    }

    /** An object store operation that failed, with a reason an operator can act on. */
    public static class StoreException extends RuntimeException {
        public StoreException(String message) {
            super(message);
        }
    }
}
