package io.edgefleet.console.forms;

import io.edgefleet.sdk.model.RegisterAppliance;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ApplianceFormTest {

    @Test
    void theNameIsTheNameTagAndTagLinesAreKeyValue() {
        RegisterAppliance request =
                new ApplianceForm(" shop-1 ", "Shop 1", "region = eu\n\ntier=gold\r\nempty=").request();
        assertEquals("shop-1", request.getUid());
        assertEquals(Map.of("name", "Shop 1", "region", "eu", "tier", "gold", "empty", ""), request.getTags());
    }

    @Test
    void aTagLineWithoutKeyIsAnErrorAtTheTagsAndNoRequest() {
        ApplianceForm form = new ApplianceForm("shop-1", "", "region=eu\njust words\n=x");
        assertNull(form.request());
        assertEquals(
                "line 2: write tags as key=value; line 3: write tags as key=value", form.error(ApplianceForm.TAGS));
    }

    @Test
    void theServicesFieldNamesLandAtTheFormsFields() {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("uid", "may contain only letters");
        errors.put("tags.name", "tag values are at most 255 characters");
        errors.put("tags.bad key", "tag keys are letters");
        errors.put("tags", "at most 50 tags are allowed");
        errors.put("body", "a body is required");
        ApplianceForm form = ApplianceForm.empty().withServiceErrors(errors);
        assertEquals("may contain only letters", form.error(ApplianceForm.UID));
        assertEquals("tag values are at most 255 characters", form.error(ApplianceForm.NAME));
        assertEquals("bad key: tag keys are letters; at most 50 tags are allowed", form.error(ApplianceForm.TAGS));
        assertEquals("body: a body is required", form.error(ApplianceForm.FORM));
    }
}
