package io.jenkins.plugins.releaseline.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/** {@code --output text|json}: text for people, one JSON document for scripts. */
public final class OutputOptions {

    public enum Format { text, json }

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(optionals())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    boolean json() {
        return format == Format.json;
    }

    /**
     * The engine's records carry {@code Optional} values ({@code EnvironmentDiff.Row.inFrom}, ...): written as
     * their content, or {@code null} when empty, as jackson-datatype-jdk8 writes them.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static SimpleModule optionals() {
        SimpleModule m = new SimpleModule("release-line-optionals");
        m.addSerializer(Optional.class, new StdSerializer<Optional>(Optional.class) {
            @Override
            public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                if (value.isPresent()) {
                    provider.defaultSerializeValue(value.get(), gen);
                } else {
                    gen.writeNull();
                }
            }
        });
        m.addSerializer(OptionalInt.class, new StdSerializer<OptionalInt>(OptionalInt.class) {
            @Override
            public void serialize(OptionalInt value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                if (value.isPresent()) {
                    gen.writeNumber(value.getAsInt());
                } else {
                    gen.writeNull();
                }
            }
        });
        m.addSerializer(OptionalLong.class, new StdSerializer<OptionalLong>(OptionalLong.class) {
            @Override
            public void serialize(OptionalLong value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                if (value.isPresent()) {
                    gen.writeNumber(value.getAsLong());
                } else {
                    gen.writeNull();
                }
            }
        });
        m.addSerializer(OptionalDouble.class, new StdSerializer<OptionalDouble>(OptionalDouble.class) {
            @Override
            public void serialize(OptionalDouble value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                if (value.isPresent()) {
                    gen.writeNumber(value.getAsDouble());
                } else {
                    gen.writeNull();
                }
            }
        });
        return m;
    }

    void printJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON output: " + e.getOriginalMessage(), e);
        }
    }
}
