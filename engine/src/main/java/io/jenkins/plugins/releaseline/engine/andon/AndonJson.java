package io.jenkins.plugins.releaseline.engine.andon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON the page reads and the audit trail stores. Instants are ISO-8601 text; text from users is written
 * as JSON strings and nothing else: the page inserts it with {@code textContent}, never as markup.
 */
public final class AndonJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private AndonJson() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /** An error as the page shows it: {@code {"error": "..."}}. */
    public static String error(String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("error", message);
        return write(m);
    }

    static String state(Freeze f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("scope", f.scope().toString());
        m.put("stops", f.stops().text());
        m.put("origin", f.origin().name());
        m.put("pulledBy", f.pulledBy());
        m.put("pulledAt", f.pulledAt());
        m.put("reason", f.reason());
        m.put("link", f.link());
        m.put("expiresAt", f.expiresAt());
        m.put("lineBuild", f.lineBuild());
        m.put("releasedBy", f.releasedBy());
        m.put("releasedAt", f.releasedAt());
        m.put("releaseNote", f.releaseNote());
        return write(m);
    }
}
