package dev.ferry.broker.handler;

/** How group members are named in descriptions: the request's client id and the peer's address, as Kafka does. */
final class ClientIdentity {

    private ClientIdentity() {
    }

    /** The header's client id; empty when the client sent none. */
    static String clientId(RequestContext context) {
        return context.clientId() == null ? "" : context.clientId();
    }

    /** The peer's address as Kafka prints it, e.g. {@code /127.0.0.1}. */
    static String clientHost(RequestContext context) {
        return context.remoteAddress() == null || context.remoteAddress().getAddress() == null ? ""
                : context.remoteAddress().getAddress().toString();
    }
}
