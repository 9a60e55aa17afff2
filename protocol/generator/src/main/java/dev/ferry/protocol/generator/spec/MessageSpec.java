package dev.ferry.protocol.generator.spec;

import java.util.List;

/**
 * One spec file: a request, a response, a header or a data record. Immutable.
 *
 * @param name             the spec's name, e.g. {@code ProduceRequest}
 * @param type             request, response, header, data or metadata
 * @param apiKey           the API key, or -1 for specs without one
 * @param validVersions    the versions this message exists in
 * @param flexibleVersions the versions using compact encodings and tagged fields
 * @param latestVersionUnstable whether the highest valid version is still under development
 * @param listeners        the listeners a request is accepted on; empty for other types
 * @param fields           the top-level fields in wire order
 * @param commonStructs    structs defined once and referenced by name
 */
public record MessageSpec(String name, String type, short apiKey, Versions validVersions, Versions flexibleVersions,
                          boolean latestVersionUnstable, List<String> listeners, List<FieldSpec> fields,
                          List<StructSpec> commonStructs) {

    public boolean isRequest() {
        return type.equals("request");
    }

    public boolean isResponse() {
        return type.equals("response");
    }

    public boolean isHeader() {
        return type.equals("header");
    }

    /** Whether this is a data spec: a structure with no API key, embedded in other messages or records. */
    public boolean isData() {
        return type.equals("data");
    }

    /** The name of the generated class, e.g. {@code ProduceRequestData}. */
    public String className() {
        return name + "Data";
    }
}
