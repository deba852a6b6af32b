package io.edgefleet.console.web;

import io.edgefleet.console.fleet.Unreachable;
import io.edgefleet.sdk.model.ApplianceView;
import io.quarkus.qute.TemplateExtension;

/** What the pages show of an appliance ({@code appliance.whyUnreachable}, {@code appliance.unreachableHint}). */
@TemplateExtension
public class ApplianceExtensions {

    /** Next to the status on the detail page, after "last seen" in the overview: "link lost at …", "heartbeats missed since …"; null for nothing. */
    static String whyUnreachable(ApplianceView appliance) {
        return Unreachable.why(appliance);
    }

    /** The list's short second line under the status: "link lost", "heartbeats missed"; null for nothing. */
    static String unreachableHint(ApplianceView appliance) {
        return Unreachable.reason(appliance);
    }
}
