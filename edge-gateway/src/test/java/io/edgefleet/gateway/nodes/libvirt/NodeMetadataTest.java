package io.edgefleet.gateway.nodes.libvirt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading the metadata of domains that earlier gateways made: they kept the whole bootstrap document there. */
class NodeMetadataTest {

    @Test
    void aDomainWithTheWholeDocumentInItsMetadataIsReadyWhenTheGuestAppliedThatDocument() {
        String document = """
                {"version":1,"hostname":"n1","sshAuthorizedKeys":["ssh-ed25519 AAAA ops"]}""";
        String legacy = """
                <domain type='qemu'><name>ef-c1-n1</name><metadata>
                  <ef:node xmlns:ef="urn:edgefleet:node:1">
                    <ef:tenant>t1</ef:tenant><ef:cluster>c1</ef:cluster><ef:node>n1</ef:node>
                    <ef:bootstrap>%s</ef:bootstrap>
                  </ef:node></metadata></domain>
                """.formatted(document);
        assertEquals(
                NodeReadiness.sha256(document),
                NodeMetadata.fromDomainXml(legacy).orElseThrow().bootstrapSha256());

        String current = legacy.replace(
                "<ef:bootstrap>" + document + "</ef:bootstrap>", "<ef:bootstrap-sha256>abc123</ef:bootstrap-sha256>");
        assertEquals("abc123", NodeMetadata.fromDomainXml(current).orElseThrow().bootstrapSha256());
    }
}
