package dev.readiness.newapps;

import java.util.List;

/**
 * One row of the Spring Boot dimension of the brand-new applications: the Boot version a new project's
 * {@code spring-boot-starter-parent} has (read from a system property that new-apps/pom.xml passes to Failsafe),
 * the web starter a user picks on that generation, and the readiness artifacts made for it.
 *
 * <p>Spring Boot 3.5 has its own readiness artifacts (its web server classes have other names), over the same
 * shared auto-configuration; 4.0 and 4.1 share theirs.
 *
 * @param id                     the suffix of every app name on this row ({@code starter-tomcat-boot40}), so that
 *                               the apps of every row live side by side in one aggregator build
 * @param versionProperty        the system property holding the Boot version
 * @param webStarter             Boot's servlet web starter on this generation
 * @param readinessStarter       readiness' starter for this generation
 * @param readinessAutoconfigure readiness' auto-configuration for this generation
 */
record BootGeneration(String id, String versionProperty, String webStarter, String readinessStarter,
                      String readinessAutoconfigure) {

    /** Spring Boot 3.5: {@code spring-boot-starter-web}, and readiness's Boot 3 starter. */
    static final BootGeneration BOOT_35 = new BootGeneration("boot35", "spring-boot3.version",
            "spring-boot-starter-web", "readiness-spring-boot3-starter", "readiness-spring-boot3-autoconfigure");

    /** Spring Boot 4.0: the same readiness artifacts as 4.1, which they are compiled against. */
    static final BootGeneration BOOT_40 = new BootGeneration("boot40", "spring-boot40.version",
            "spring-boot-starter-webmvc", "readiness-spring-boot-starter", "readiness-spring-boot-autoconfigure");

    /** Spring Boot 4.1, the version the reactor builds readiness against ({@code spring-boot.version}). */
    static final BootGeneration BOOT_41 = new BootGeneration("boot41", "spring-boot.version",
            "spring-boot-starter-webmvc", "readiness-spring-boot-starter", "readiness-spring-boot-autoconfigure");

    /** Every row the starter's scenarios run on, oldest first. */
    static final List<BootGeneration> ALL = List.of(BOOT_35, BOOT_40, BOOT_41);

    /** The rows the starter runs on Jetty in: Spring Boot 3.5 (Jetty 12.0), 4.0 and 4.1 (Jetty 12.1). */
    static final List<BootGeneration> JETTY = ALL;

    /** The rows a WebFlux service (Reactor Netty) runs on: every one. */
    static final List<BootGeneration> REACTIVE = ALL;

    /** The Boot version of this row; fails naming the property when Failsafe did not pass it. */
    String version() {
        return NewProjects.property(versionProperty);
    }

    /** What a parameterized test's name shows: {@code Spring Boot 4.0.7}. */
    @Override
    public String toString() {
        return "Spring Boot " + version();
    }
}
