package dev.ferry.broker.topic;

/**
 * Caps the bytes an application may keep stored: Produce asks before appending, and reports what it appended.
 *
 * <p><b>Thread-safety:</b> implementations are called from request-handler and network threads at once.
 */
public interface StorageQuota {

    /** No application is limited. */
    StorageQuota NONE = new StorageQuota() {
        @Override
        public String refusal(String application) {
            return null;
        }

        @Override
        public void appended(String application, long bytes) {
        }
    };

    /** Why {@code application} may not append more, for the client, or null when it may. */
    String refusal(String application);

    /** Counts {@code bytes} just appended to a topic of {@code application}. */
    void appended(String application, long bytes);
}
