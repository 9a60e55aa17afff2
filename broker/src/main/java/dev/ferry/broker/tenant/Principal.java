package dev.ferry.broker.tenant;

/**
 * Who an authenticated connection acts for: an application, through one of its keys. Holds no secret, so it may be
 * logged and kept as a channel attribute.
 *
 * @param applicationId the application the key belongs to
 * @param keyName       the key's name, unique within the application
 * @param keyId         the key's public id (the part of the key before the '.'), unique across applications
 * @param role          what the key may be used for
 */
public record Principal(String applicationId, String keyName, String keyId, Role role) {

    /** Separates the application id from the rest of a topic, group or transactional id name. */
    public static final char RESOURCE_SEPARATOR = '.';

    /** Whether this principal's role allows {@code permission}. */
    public boolean permits(Permission permission) {
        return role.permits(permission);
    }

    /** The prefix every topic, group and transactional id of the application starts with, e.g. {@code acme.}. */
    public String resourcePrefix() {
        return applicationId + RESOURCE_SEPARATOR;
    }

    /** Whether {@code resourceName} (a topic, group or transactional id) belongs to this principal's application. */
    public boolean owns(String resourceName) {
        return resourceName != null && resourceName.length() > applicationId.length() + 1
                && resourceName.startsWith(applicationId) && resourceName.charAt(applicationId.length())
                == RESOURCE_SEPARATOR;
    }
}
