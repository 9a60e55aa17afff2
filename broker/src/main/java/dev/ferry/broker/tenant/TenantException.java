package dev.ferry.broker.tenant;

/**
 * A request on the tenant registry that cannot be carried out as asked: an invalid or duplicate name, an unknown
 * application or key. The message is one line fit to show a user, and never contains a key.
 */
public final class TenantException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TenantException(String message) {
        super(message);
    }
}
