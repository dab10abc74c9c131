package dev.readiness.sessions.codec;

import java.util.List;

/**
 * Class-name patterns in {@link java.io.ObjectInputFilter} syntax: {@code com.example.Cart} (one class),
 * {@code com.example.*} (a package), {@code com.example.**} (a package and its subpackages).
 */
public final class ClassAllowlist {

    private final List<String> patterns;

    /** One part of a class name: letters, digits, _ and $ (no control or ignorable characters). */
    private static final String NAME = "[\\p{L}_$][\\p{L}\\p{N}_$]*";
    /** {@code com.example.Cart}, {@code com.example.Cart$Line}, {@code com.example.*}, {@code com.example.**}. */
    private static final java.util.regex.Pattern ENTRY =
            java.util.regex.Pattern.compile(NAME + "(\\." + NAME + ")*(\\.\\*\\*?)?");

    /**
     * @throws IllegalArgumentException for a pattern that is not a class name, {@code package.*} or
     *         {@code package.**}
     */
    public ClassAllowlist(List<String> patterns) {
        for (String p : patterns) {
            if (p == null || !ENTRY.matcher(p.trim()).matches()) {
                throw new IllegalArgumentException("allowlist entry '" + p
                        + "' is invalid: use a class name, package.* or package.**");
            }
        }
        this.patterns = List.copyOf(patterns.stream().map(String::trim).toList());
    }

    public List<String> patterns() {
        return patterns;
    }

    public boolean allows(String className) {
        for (String p : patterns) {
            if (p.endsWith(".**")) {
                if (className.startsWith(p.substring(0, p.length() - 2))) {
                    return true;
                }
            } else if (p.endsWith(".*")) {
                String pkg = p.substring(0, p.length() - 1);
                if (className.startsWith(pkg) && className.indexOf('.', pkg.length()) < 0) {
                    return true;
                }
            } else if (p.equals(className)) {
                return true;
            }
        }
        return false;
    }
}
