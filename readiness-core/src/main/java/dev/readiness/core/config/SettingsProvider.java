package dev.readiness.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The settings one module declares, found with {@link ServiceLoader} so that the settings table in the docs
 * and the Spring Boot starter's IDE metadata cover exactly the modules on the class path. Each module lists its
 * provider in {@code META-INF/services/dev.readiness.core.config.SettingsProvider}.
 */
public interface SettingsProvider {

    /** The settings of this module, one {@link Keys} per feature. */
    List<Keys<?, ?>> settings();

    /** The settings of every module on {@code loader}'s class path, ordered by prefix. */
    static List<Keys<?, ?>> all(ClassLoader loader) {
        List<Keys<?, ?>> out = new ArrayList<>();
        for (SettingsProvider p : ServiceLoader.load(SettingsProvider.class, loader)) {
            out.addAll(p.settings());
        }
        out.sort(Comparator.comparing(Keys::prefix));
        return out;
    }
}
