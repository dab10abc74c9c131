package dev.readiness.gc.budget;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Reads and writes memory sizes: JVM flag sizes ({@code 512m}, {@code 1g}, {@code 1048576}) and Kubernetes
 * quantities ({@code 512Mi}, {@code 1Gi}, {@code 500M} = 500,000,000 bytes, {@code 1e9}).
 */
public final class Sizes {

    public static final long KIB = 1024L;
    public static final long MIB = 1024L * KIB;
    public static final long GIB = 1024L * MIB;

    private Sizes() {
    }

    /**
     * A JVM size as the JVM reads it: digits with an optional {@code k}, {@code m}, {@code g} or {@code t}
     * suffix, binary multiples.
     *
     * @throws IllegalArgumentException naming the value, for anything else
     */
    public static long parseJvm(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("'' is not a JVM size such as 512m or 1g");
        }
        long unit = 1;
        char last = v.charAt(v.length() - 1);
        switch (last) {
            case 'k' -> unit = KIB;
            case 'm' -> unit = MIB;
            case 'g' -> unit = GIB;
            case 't' -> unit = 1024L * GIB;
            default -> { }
        }
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        // ASCII digits only, as the JVM reads them: Character.isDigit would take ٥ (Arabic-Indic five) for 5
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + value + "' is not a JVM size such as 512m or 1g");
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is too large for a JVM size", e);
        }
    }

    /**
     * A Kubernetes memory quantity: {@code 512Mi}, {@code 1Gi}, {@code 1G} (10^9), {@code 1500000000}.
     *
     * @throws IllegalArgumentException naming the value, for anything else
     */
    public static long parseQuantity(String value) {
        String v = value == null ? "" : value.trim();
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
                {"k", "1000"}, {"K", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}};
        BigDecimal multiplier = BigDecimal.ONE;
        String number = v;
        for (String[] s : suffixes) {
            if (v.endsWith(s[0])) {
                multiplier = new BigDecimal(s[1]);
                number = v.substring(0, v.length() - s[0].length());
                break;
            }
        }
        try {
            if (number.isEmpty() || number.startsWith("-") || number.startsWith("+")) {
                throw new NumberFormatException();
            }
            BigDecimal bytes = new BigDecimal(number).multiply(multiplier);
            if (bytes.signum() <= 0 || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new NumberFormatException();
            }
            if (bytes.compareTo(BigDecimal.ONE) < 0) {
                // rounded up to one byte without setScale, which computes 10^scale: 5e-99999999Ki took 48 s
                return 1;
            }
            return bytes.setScale(0, java.math.RoundingMode.UP).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is not a memory quantity such as 512Mi, 1Gi or 1500M",
                    e);
        }
    }

    /** A size for people: {@code 512 MiB}, {@code 1.5 GiB}, {@code 900 KiB}. */
    public static String human(long bytes) {
        if (bytes >= GIB && bytes % GIB != 0 && bytes >= 10 * GIB) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
        }
        if (bytes >= GIB) {
            return bytes % GIB == 0 ? bytes / GIB + " GiB" : String.format(Locale.ROOT, "%.2f GiB", bytes / (double) GIB);
        }
        if (bytes >= MIB) {
            return bytes % MIB == 0 ? bytes / MIB + " MiB" : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
        }
        if (bytes >= KIB) {
            return bytes / KIB + " KiB";
        }
        return bytes + " B";
    }

    /** A size as a JVM flag value, in the largest whole unit: {@code 256m}, {@code 2g}, {@code 1536k}. */
    public static String jvm(long bytes) {
        if (bytes > 0 && bytes % GIB == 0) {
            return bytes / GIB + "g";
        }
        if (bytes > 0 && bytes % MIB == 0) {
            return bytes / MIB + "m";
        }
        if (bytes > 0 && bytes % KIB == 0) {
            return bytes / KIB + "k";
        }
        return Long.toString(bytes);
    }
}
