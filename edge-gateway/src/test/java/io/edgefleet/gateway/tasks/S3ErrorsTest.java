package io.edgefleet.gateway.tasks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class S3ErrorsTest {

    @Test
    void codeAndMessageOfAnS3ErrorBody() {
        String body = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>
                <BucketName>backups</BucketName><RequestId>4442587FB7D0A2F9</RequestId></Error>""";
        assertEquals("HTTP 404 NoSuchBucket: The specified bucket does not exist", S3Errors.describe(404, body));
        assertEquals(
                "HTTP 403 AccessDenied: Request has expired",
                S3Errors.describe(
                        403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"));
        assertEquals(
                "HTTP 403 SignatureDoesNotMatch: a &lt;b&gt; \"c\""
                        .replace("&lt;", "<")
                        .replace("&gt;", ">"),
                S3Errors.describe(
                        403,
                        "<Error><Code>SignatureDoesNotMatch</Code><Message>a &lt;b&gt; &quot;c&quot;</Message></Error>"));
    }

    @Test
    void withoutABody() {
        assertEquals("HTTP 500", S3Errors.describe(500, ""));
        assertEquals(
                "HTTP 403 (access denied; the presigned URL may have expired or be wrong)",
                S3Errors.describe(403, null));
    }
}
