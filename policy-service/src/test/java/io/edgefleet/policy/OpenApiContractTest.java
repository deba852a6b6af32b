package io.edgefleet.policy;

import io.edgefleet.testsupport.OpenApiContractChecks;
import io.quarkus.test.junit.QuarkusTest;

/** The served OpenAPI document is the checked-in contract the SDK is generated from, in the shared style. */
@QuarkusTest
@TestInfrastructure
class OpenApiContractTest extends OpenApiContractChecks {}
