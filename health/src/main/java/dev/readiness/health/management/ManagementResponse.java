package dev.readiness.health.management;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a {@link ManagementHandler} answers. Immutable.
 *
 * @param status      the HTTP status
 * @param contentType the {@code Content-Type} header
 * @param body        the body; not sent for HEAD requests
 */
public record ManagementResponse(int status, String contentType, byte[] body) {

    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public ManagementResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599, was " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        body = body == null ? new byte[0] : body;
    }

    /** A JSON response. */
    public static ManagementResponse json(int status, String json) {
        return new ManagementResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A plain-text response. */
    public static ManagementResponse text(int status, String text) {
        return new ManagementResponse(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }
}
