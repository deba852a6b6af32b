package io.edgefleet.profile.values;

/** Text that is not the YAML we expect; the message is fit for an API error (position included). */
public class YamlException extends Exception {
    public YamlException(String message) {
        super(message);
    }
}
