package dev.readiness.core.config;

import org.eclipse.microprofile.config.spi.Converter;

import java.util.Locale;

/**
 * Reads booleans strictly: {@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}, any case. The
 * MicroProfile default reads anything else ({@code ture}, {@code enabled}) as {@code false}, which turns a typo
 * into a silent change of behaviour.
 */
public final class BooleanConverter implements Converter<Boolean> {

    public static final String ALLOWED = "true or false (also yes/no, on/off, 1/0)";

    @Override
    public Boolean convert(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no value; expected " + ALLOWED);
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "" -> null; // MicroProfile: an empty value means "not set"
            case "true", "yes", "on", "1" -> Boolean.TRUE;
            case "false", "no", "off", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("'" + value + "' is not " + ALLOWED);
        };
    }
}
