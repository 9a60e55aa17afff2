package dev.ferry.client;

/**
 * A group as ListGroups names it.
 *
 * @param groupId      the group id
 * @param protocolType the protocol type, e.g. {@code consumer}; empty when the group has none
 * @param state        the state, e.g. {@code Stable}; empty when the broker does not report it
 * @param type         the group type, e.g. {@code classic} or {@code consumer}; empty when not reported
 */
public record GroupListing(String groupId, String protocolType, String state, String type) {
}
