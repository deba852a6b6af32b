package io.edgefleet.console.fleet;

/**
 * A service call that failed in a way the page cannot handle itself (the service answered 404, 403, 5xx, or did not
 * answer): the console's error pages show it ({@code web.ErrorPages}).
 */
public class ServiceCallFailed extends RuntimeException {

    private final String service;
    private final int status;

    public ServiceCallFailed(String service, int status, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.status = status;
    }

    /** The service that was called, e.g. {@code appliance-service}. */
    public String service() {
        return service;
    }

    /** The service's HTTP status; 0 when it did not answer. */
    public int status() {
        return status;
    }
}
