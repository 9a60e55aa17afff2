package dev.ferry.client;

/**
 * The client side of one SASL authentication: the first message, then a response to each server challenge until
 * the exchange is complete. Not thread-safe; one per connection.
 */
interface SaslExchange {

    /** The client's first message. */
    byte[] initialResponse();

    /**
     * Takes the server's answer to the last client message.
     *
     * @return the next client message, or null when the exchange is complete and nothing more is to be sent
     * @throws AuthenticationFailedException when the server's answer is malformed or does not prove the server knows
     *                                       the credentials
     */
    byte[] evaluate(byte[] challenge);

    /** Whether the exchange has ended successfully. */
    boolean isComplete();
}
