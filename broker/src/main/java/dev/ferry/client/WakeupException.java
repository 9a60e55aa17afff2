package dev.ferry.client;

/** A blocking consumer call was interrupted by {@code wakeup()}, typically because the application is stopping. */
public class WakeupException extends KafkaClientException {
    private static final long serialVersionUID = 1L;

    public WakeupException() {
        super("woken up");
    }
}
