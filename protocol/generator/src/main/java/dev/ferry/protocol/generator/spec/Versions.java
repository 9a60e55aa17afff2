package dev.ferry.protocol.generator.spec;

/**
 * An inclusive range of protocol versions, possibly empty. Immutable.
 *
 * <p>Written in specs as {@code "3+"} (3 and later), {@code "0-12"}, {@code "5"} or {@code "none"}.
 */
public record Versions(short lowest, short highest) {
    public static final Versions NONE = new Versions((short) 0, (short) -1);
    public static final Versions ALL = new Versions((short) 0, Short.MAX_VALUE);

    public static Versions parse(String text) {
        String trimmed = text.trim();
        try {
            if (trimmed.equals("none")) {
                return NONE;
            }
            if (trimmed.endsWith("+")) {
                return new Versions(Short.parseShort(trimmed.substring(0, trimmed.length() - 1)), Short.MAX_VALUE);
            }
            int dash = trimmed.indexOf('-');
            if (dash > 0) {
                Versions range = new Versions(Short.parseShort(trimmed.substring(0, dash)),
                    Short.parseShort(trimmed.substring(dash + 1)));
                if (range.isEmpty()) {
                    throw new IllegalArgumentException("Empty version range " + text);
                }
                return range;
            }
            short single = Short.parseShort(trimmed);
            return new Versions(single, single);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid version range \"" + text + "\"", e);
        }
    }

    public boolean isEmpty() {
        return lowest > highest;
    }

    public boolean contains(int version) {
        return version >= lowest && version <= highest;
    }

    public boolean contains(Versions other) {
        return other.isEmpty() || (lowest <= other.lowest && highest >= other.highest);
    }

    public Versions intersect(Versions other) {
        short low = (short) Math.max(lowest, other.lowest);
        short high = (short) Math.min(highest, other.highest);
        Versions result = new Versions(low, high);
        return result.isEmpty() ? NONE : result;
    }

    public boolean isOpenEnded() {
        return highest == Short.MAX_VALUE;
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        if (isOpenEnded()) {
            return lowest + "+";
        }
        return lowest == highest ? Short.toString(lowest) : lowest + "-" + highest;
    }
}
