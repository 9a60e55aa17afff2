package dev.ferry.client;

/** How many acknowledgements a producer waits for, as Kafka's {@code acks} setting. */
public enum Acks {
    /** Fire and forget: the broker sends no response, and the producer learns no offsets. */
    NONE((short) 0),
    /** The leader has appended the records. */
    LEADER((short) 1),
    /** Every in-sync replica has the records. */
    ALL((short) -1);

    private final short code;

    Acks(short code) {
        this.code = code;
    }

    /** The value of the Produce request's acks field. */
    public short code() {
        return code;
    }
}
