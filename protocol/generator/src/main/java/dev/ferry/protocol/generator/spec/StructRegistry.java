package dev.ferry.protocol.generator.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every struct of one message, by name: those defined inline by fields and the common structs. A struct is defined
 * once; fields elsewhere may refer to it by name alone. Immutable once built.
 */
public final class StructRegistry {
    private final Map<String, StructSpec> structs = new LinkedHashMap<>();

    public StructRegistry(MessageSpec message) {
        for (StructSpec common : message.commonStructs()) {
            define(common);
        }
        collectInline(message.fields());
        for (StructSpec common : message.commonStructs()) {
            collectInline(common.fields());
        }
        checkReferences(message.fields());
        for (StructSpec struct : structs.values()) {
            checkReferences(struct.fields());
        }
        if (structs.containsKey(message.className())) {
            throw new IllegalArgumentException(message.name() + " has a struct named like its class");
        }
    }

    /** The struct named {@code name}. */
    public StructSpec get(String name) {
        StructSpec struct = structs.get(name);
        if (struct == null) {
            throw new IllegalArgumentException("Unknown struct " + name);
        }
        return struct;
    }

    /** All structs, in order of definition. */
    public List<StructSpec> all() {
        return new ArrayList<>(structs.values());
    }

    private void collectInline(List<FieldSpec> fields) {
        for (FieldSpec field : fields) {
            if (!field.fields().isEmpty()) {
                define(new StructSpec(field.type().referencedStruct(), field.fields()));
                collectInline(field.fields());
            }
        }
    }

    private void define(StructSpec struct) {
        if (structs.putIfAbsent(struct.name(), struct) != null) {
            throw new IllegalArgumentException("Struct " + struct.name() + " is defined twice");
        }
    }

    private void checkReferences(List<FieldSpec> fields) {
        for (FieldSpec field : fields) {
            if (field.type().refersToStruct()) {
                get(field.type().referencedStruct());
            }
        }
    }
}
