package dev.ferry.protocol.generator.spec;

import dev.ferry.protocol.generator.json.JsonReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON text of a spec into a {@link MessageSpec}, checking the rules the generated code relies on:
 * unique field names and tags, tagged versions that are a flexible suffix of the field's versions, nullability only
 * on types that can be null. Stateless.
 */
public final class SpecParser {
    private SpecParser() {
    }

    public static MessageSpec parse(String json) {
        Map<String, Object> root = asObject(JsonReader.parse(json), "spec");
        String name = requiredString(root, "name");
        try {
            String type = requiredString(root, "type");
            Versions valid = Versions.parse(requiredString(root, "validVersions"));
            Versions flexible = Versions.parse(optionalString(root, "flexibleVersions", "none"));
            if (!flexible.isEmpty() && !flexible.isOpenEnded()) {
                throw new IllegalArgumentException("flexibleVersions must be open-ended: " + flexible);
            }
            short apiKey = root.containsKey("apiKey") ? ((Number) root.get("apiKey")).shortValue() : -1;
            List<String> listeners = new ArrayList<>();
            for (Object listener : asList(root.getOrDefault("listeners", List.of()), "listeners")) {
                listeners.add((String) listener);
            }
            List<FieldSpec> fields = parseFields(root.get("fields"), flexible);
            List<StructSpec> commonStructs = new ArrayList<>();
            for (Object struct : asList(root.getOrDefault("commonStructs", List.of()), "commonStructs")) {
                Map<String, Object> structObject = asObject(struct, "commonStructs");
                commonStructs.add(new StructSpec(requiredString(structObject, "name"),
                    parseFields(structObject.get("fields"), flexible)));
            }
            boolean unstable = Boolean.TRUE.equals(root.get("latestVersionUnstable"));
            return new MessageSpec(name, type, apiKey, valid, flexible, unstable, List.copyOf(listeners), fields,
                List.copyOf(commonStructs));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid spec " + name + ": " + e.getMessage(), e);
        }
    }

    private static List<FieldSpec> parseFields(Object json, Versions flexible) {
        List<FieldSpec> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Integer> tags = new HashSet<>();
        for (Object element : asList(json == null ? List.of() : json, "fields")) {
            FieldSpec field = parseField(asObject(element, "field"), flexible);
            if (!names.add(field.name())) {
                throw new IllegalArgumentException("Duplicate field " + field.name());
            }
            if (field.isTagged() && !tags.add(field.tag())) {
                throw new IllegalArgumentException("Duplicate tag " + field.tag() + " on " + field.name());
            }
            fields.add(field);
        }
        return List.copyOf(fields);
    }

    private static FieldSpec parseField(Map<String, Object> json, Versions flexible) {
        String name = requiredString(json, "name");
        try {
            FieldType type = FieldType.parse(requiredString(json, "type"));
            Versions versions = Versions.parse(requiredString(json, "versions"));
            Versions nullable = Versions.parse(optionalString(json, "nullableVersions", "none"));
            if (!nullable.isEmpty() && !type.canBeNullable()) {
                throw new IllegalArgumentException("type " + type + " cannot be nullable");
            }
            int tag = json.containsKey("tag") ? ((Number) json.get("tag")).intValue() : -1;
            Versions tagged = Versions.parse(optionalString(json, "taggedVersions", "none"));
            checkTagging(tag, tagged, versions, flexible);
            String flexibleOverride = optionalString(json, "flexibleVersions", null);
            Object defaultValue = json.get("default");
            List<FieldSpec> structFields = json.containsKey("fields")
                ? parseFields(json.get("fields"), flexible) : List.of();
            if (!structFields.isEmpty() && !type.refersToStruct()) {
                throw new IllegalArgumentException("only struct fields may declare fields");
            }
            FieldSpec field = new FieldSpec(name, type, versions, nullable, tagged, tag,
                flexibleOverride == null ? null : Versions.parse(flexibleOverride),
                defaultValue == null ? null : String.valueOf(defaultValue),
                Boolean.TRUE.equals(json.get("ignorable")), optionalString(json, "about", ""), structFields);
            if (field.defaultsToNull() && nullable.isEmpty()) {
                throw new IllegalArgumentException("default null requires nullableVersions");
            }
            return field;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("field " + name + ": " + e.getMessage(), e);
        }
    }

    private static void checkTagging(int tag, Versions tagged, Versions versions, Versions flexible) {
        if (tag < 0 && tagged.isEmpty()) {
            return;
        }
        if (tag < 0 || tagged.isEmpty()) {
            throw new IllegalArgumentException("tag and taggedVersions must be given together");
        }
        if (!tagged.isOpenEnded() || !versions.contains(tagged) || tagged.highest() != versions.highest()) {
            throw new IllegalArgumentException("taggedVersions " + tagged + " must be a suffix of versions "
                + versions);
        }
        if (!flexible.contains(tagged)) {
            throw new IllegalArgumentException("taggedVersions " + tagged + " outside flexibleVersions " + flexible);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object json, String what) {
        if (!(json instanceof Map)) {
            throw new IllegalArgumentException(what + " must be an object");
        }
        return (Map<String, Object>) json;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object json, String what) {
        if (!(json instanceof List)) {
            throw new IllegalArgumentException(what + " must be an array");
        }
        return (List<Object>) json;
    }

    private static String requiredString(Map<String, Object> json, String key) {
        Object value = json.get(key);
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("missing string \"" + key + "\"");
        }
        return text;
    }

    private static String optionalString(Map<String, Object> json, String key, String fallback) {
        Object value = json.get(key);
        return value == null ? fallback : String.valueOf(value);
    }
}
