package io.portaudit.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one JSON mapping of the model types, used by every command that writes or reads JSON ({@code audit --json},
 * {@code scan --json}, {@code inventory --json}, {@code firewall --json}). Each type's keys are written in a fixed order
 * (the schema's, docs/FORMATS.md), every key is always present ({@code null} when unknown), enums are written as
 * their lower-case labels ({@code tcp}, {@code ipv6}, {@code all+ipv4}, {@code open|filtered}) and instants as ISO-8601.
 * The same mapping reads them back.
 */
public final class ModelJson {
    private ModelJson() {}

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

    /** The shared mapper (pretty-printing is the caller's choice: {@code writerWithDefaultPrettyPrinter()}). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A builder with the model's mapping; other packages add their own types' mapping to it. */
    public static JsonMapper.Builder configure(JsonMapper.Builder b) {
        return b.addModule(module())
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .serializationInclusion(JsonInclude.Include.ALWAYS);
    }

    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("portaudit-model");
        label(m, Protocol.class, Protocol::label);
        label(m, AddressFamily.class, AddressFamily::label);
        label(m, BindScope.class, BindScope::label);
        label(m, Verdict.class, Verdict::label);
        label(m, PortState.class, PortState::label);
        label(m, Severity.class, Severity::label);
        label(m, ParseProblem.Severity.class, s -> s.name().toLowerCase(Locale.ROOT));
        m.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(value.toString());
            }
        });
        m.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String s = p.getValueAsString();
                try {
                    return s == null || s.equals("null") ? null : Instant.parse(s);
                } catch (DateTimeParseException e) {
                    return (Instant) ctx.handleWeirdStringValue(Instant.class, s, "not an ISO-8601 instant");
                }
            }
        });
        m.setMixInAnnotation(PortRange.class, PortRangeMixin.class);
        m.setMixInAnnotation(RuleRef.class, RuleRefMixin.class);
        m.setMixInAnnotation(Evidence.class, EvidenceMixin.class);
        m.setMixInAnnotation(Finding.class, FindingMixin.class);
        m.setMixInAnnotation(Owner.class, OwnerMixin.class);
        m.setMixInAnnotation(Listener.class, ListenerMixin.class);
        m.setMixInAnnotation(ParseProblem.class, ParseProblemMixin.class);
        m.setMixInAnnotation(PortResult.class, PortResultMixin.class);
        m.setMixInAnnotation(Weakness.class, WeaknessMixin.class);
        m.setMixInAnnotation(ExposureRange.class, ExposureRangeMixin.class);
        m.setMixInAnnotation(ExposureRange.Redirect.class, RedirectMixin.class);
        m.setMixInAnnotation(Exposure.class, ExposureMixin.class);
        return m;
    }

    /** An enum written as its label and read back from it (an unknown label is an input error, never a guess). */
    public static <E extends Enum<E>> void label(SimpleModule m, Class<E> type, Function<E, String> label) {
        m.addSerializer(type, new JsonSerializer<E>() {
            @Override
            public void serialize(E value, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(label.apply(value));
            }
        });
        m.addDeserializer(type, new JsonDeserializer<E>() {
            @Override
            public E deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String s = p.getValueAsString();
                for (E e : type.getEnumConstants()) if (label.apply(e).equals(s)) return e;
                @SuppressWarnings("unchecked")
                E none = (E) ctx.handleWeirdStringValue(type, s, "not one of the known " + type.getSimpleName() + " labels");
                return none;
            }
        });
    }

    // Key order of each type: the schema's (docs/FORMATS.md, src/main/resources/schema/portaudit-audit.schema.json).

    @JsonPropertyOrder({"from", "to"})
    abstract static class PortRangeMixin {}

    @JsonPropertyOrder({"table", "chain", "index", "text", "source"})
    @JsonIgnoreProperties(value = {"policy"}, allowGetters = false)
    abstract static class RuleRefMixin {}

    @JsonPropertyOrder({"view", "text", "source"})
    abstract static class EvidenceMixin {}

    @JsonPropertyOrder({"id", "severity", "title", "protocol", "family", "ports", "detail", "evidence", "remedy"})
    abstract static class FindingMixin {}

    @JsonPropertyOrder({"pid", "comm", "cmdline", "user", "uid", "unit", "container", "exe", "started", "note"})
    abstract static class OwnerMixin {}

    @JsonPropertyOrder({"protocol", "family", "address", "port", "scope", "dualStack", "state", "inode", "netns", "iface", "note",
        "source", "owners"})
    abstract static class ListenerMixin {}

    @JsonPropertyOrder({"source", "line", "column", "severity", "message", "text"})
    abstract static class ParseProblemMixin {}

    @JsonPropertyOrder({"address", "protocol", "port", "state", "reason", "service", "product", "version", "extraInfo", "tunnel", "cpe",
        "method", "banner", "weaknesses"})
    abstract static class PortResultMixin {}

    @JsonPropertyOrder({"id", "detail"})
    abstract static class WeaknessMixin {}

    @JsonPropertyOrder({"range", "verdict", "rejectWith", "rule", "redirect"})
    abstract static class ExposureRangeMixin {}

    @JsonPropertyOrder({"to", "toAddress", "rule"})
    abstract static class RedirectMixin {}

    @JsonPropertyOrder({"family", "protocol", "ranges"})
    abstract static class ExposureMixin {}
}
