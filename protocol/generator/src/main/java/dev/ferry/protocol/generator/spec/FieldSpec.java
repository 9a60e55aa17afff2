package dev.ferry.protocol.generator.spec;

import java.util.List;

/**
 * One field of a struct as the spec declares it. Immutable.
 *
 * @param name              the spec's name, UpperCamel
 * @param type              the field's type
 * @param versions          the versions the field exists in
 * @param nullableVersions  the versions in which it may be null
 * @param taggedVersions    the versions in which it is a tagged field; empty when it never is
 * @param tag               its tag, or -1 when untagged
 * @param flexibleVersions  an override of the message's flexible versions for this field's encoding, or null
 * @param defaultValue      the spec's default as written, or null when it gives none
 * @param ignorable         whether a non-default value may be silently dropped in versions lacking the field
 * @param about             the spec's description
 * @param fields            the fields of a struct defined inline by this field; empty otherwise
 */
public record FieldSpec(String name, FieldType type, Versions versions, Versions nullableVersions,
                        Versions taggedVersions, int tag, Versions flexibleVersions, String defaultValue,
                        boolean ignorable, String about, List<FieldSpec> fields) {

    public boolean isTagged() {
        return tag >= 0;
    }

    /** The versions in which the field is written among the regular, positional fields. */
    public Versions positionalVersions() {
        if (!isTagged()) {
            return versions;
        }
        // taggedVersions is a suffix of versions (checked when parsing), so the positional part is what precedes it
        if (taggedVersions.lowest() <= versions.lowest()) {
            return Versions.NONE;
        }
        return new Versions(versions.lowest(), (short) (taggedVersions.lowest() - 1));
    }

    /** Whether the default is null, which requires the field to be nullable. */
    public boolean defaultsToNull() {
        return "null".equals(defaultValue);
    }
}
