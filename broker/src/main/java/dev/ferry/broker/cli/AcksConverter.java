package dev.ferry.broker.cli;

import dev.ferry.client.Acks;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --acks} as Kafka's producer setting: {@code 0}, {@code 1}, or {@code all} (also {@code -1}). */
public final class AcksConverter implements ITypeConverter<Acks> {

    @Override
    public Acks convert(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "0" -> Acks.NONE;
            case "1" -> Acks.LEADER;
            case "all", "-1" -> Acks.ALL;
            default -> throw new TypeConversionException("'" + value + "' is not 0, 1 or all");
        };
    }
}
