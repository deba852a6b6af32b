package io.edgefleet.gateway.link;

import java.net.URI;
import java.util.Locale;

/** The broker's device listener from {@code ssl://host:port} (also {@code mqtts://}); TLS always, 8883 by default. */
record MqttEndpoint(String host, int port) {

    static MqttEndpoint parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a broker URL like ssl://edge.example.com:8883");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("ssl") || scheme.equals("mqtts")) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "'" + url + "' is not a TLS broker URL like ssl://edge.example.com:8883");
        }
        return new MqttEndpoint(uri.getHost().replaceAll("^\\[|\\]$", ""), uri.getPort() > 0 ? uri.getPort() : 8883);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
