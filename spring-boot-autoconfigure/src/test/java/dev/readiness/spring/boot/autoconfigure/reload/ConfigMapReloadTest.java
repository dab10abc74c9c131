package dev.readiness.spring.boot.autoconfigure.reload;

import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ReloadResult;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessFailureAnalyzer;
import dev.readiness.testkit.KubeletAtomicWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watched directory as a property source, updated the way the kubelet does it, and
 * {@code @ConfigurationProperties} beans rebound all together or not at all.
 */
class ConfigMapReloadTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessConfigReloadAutoConfiguration.class))
                .withPropertyValues("readiness.config.dir=" + dir, "readiness.config.poll-interval=50ms")
                // what ConfigMapEnvironmentPostProcessor does in an application, before any bean binds
                .withInitializer(ctx -> new ConfigMapEnvironmentPostProcessor()
                        .postProcessEnvironment(ctx.getEnvironment(), null))
                .withUserConfiguration(Props.class);
    }

    @Test
    void aRejectedReloadKeepsEveryBeanAsItWasAndAGoodOneRebindsThemAllTogether() {
        KubeletAtomicWriter kubelet = new KubeletAtomicWriter(dir);
        kubelet.write(Map.of("app.properties", "a.name=one\nb.max=5\n"));
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            A a = context.getBean(A.class);
            B b = context.getBean(B.class);
            ConfigMapWatcher watcher = context.getBean(ConfigMapWatcher.class);
            assertThat(a.getName()).isEqualTo("one");
            assertThat(b.getMax()).isEqualTo(5);

            kubelet.write(Map.of("app.properties", "a.name=two\nb.max=7\n"));
            await().atMost(Duration.ofSeconds(20)).until(() -> b.getMax() == 7);
            assertThat(a.getName()).isEqualTo("two");
            assertThat(context.getEnvironment().getProperty("a.name")).isEqualTo("two");
            Events events = context.getBean(Events.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> !events.received.isEmpty());
            assertThat(events.received.get(events.received.size() - 1).reboundBeans())
                    .anySatisfy(n -> assertThat(n).contains("A"))
                    .anySatisfy(n -> assertThat(n).contains("B"));

            // one of the two beans fails validation: neither changes, nor does the property source
            long invalidBefore = watcher.reloads(ReloadResult.INVALID);
            kubelet.write(Map.of("app.properties", "a.name=three\nb.max=-1\n"));
            await().atMost(Duration.ofSeconds(20)).until(() -> watcher.reloads(ReloadResult.INVALID) > invalidBefore);
            assertThat(a.getName()).isEqualTo("two");
            assertThat(b.getMax()).isEqualTo(7);
            assertThat(context.getEnvironment().getProperty("a.name")).isEqualTo("two");
            assertThat(context.getEnvironment().getProperty("b.max")).isEqualTo("7");
            assertThat(watcher.lastOutcome().orElseThrow().failure()).hasValueSatisfying(reason ->
                    assertThat(reason).contains("prefix 'b'", "no bean is rebound", "b.max must be at least 1"));

            // the next good generation applies
            kubelet.write(Map.of("app.properties", "a.name=four\nb.max=9\n"));
            await().atMost(Duration.ofSeconds(20)).until(() -> b.getMax() == 9);
            assertThat(a.getName()).isEqualTo("four");
        });
    }

    @Test
    void aKeyRemovedFromTheConfigMapGoesBackToTheBeansDefault() {
        KubeletAtomicWriter kubelet = new KubeletAtomicWriter(dir);
        kubelet.write(Map.of("app.properties", "b.max=5\nb.label=x\n"));
        runner().run(context -> {
            B b = context.getBean(B.class);
            assertThat(b.getLabel()).isEqualTo("x");
            kubelet.write(Map.of("app.properties", "b.max=6\n"));
            await().atMost(Duration.ofSeconds(20)).until(() -> b.getMax() == 6);
            assertThat(b.getLabel()).isEqualTo("default");
        });
    }

    @Test
    void eachFileIsAKeyToo() {
        KubeletAtomicWriter kubelet = new KubeletAtomicWriter(dir);
        kubelet.write(Map.of("greeting", "hello\n"));
        runner().run(context -> {
            assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("hello");
            kubelet.write(Map.of("greeting", "bonjour\n"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> "bonjour".equals(context.getEnvironment().getProperty("greeting")));
        });
    }

    @Test
    void offWithoutADirectory() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessConfigReloadAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(ConfigMapWatcher.class));
    }

    @Test
    void offWhenDisabled() throws Exception {
        Files.writeString(dir.resolve("greeting"), "hello");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessConfigReloadAutoConfiguration.class))
                .withPropertyValues("readiness.config.dir=" + dir, "readiness.config.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(ConfigMapWatcher.class);
                    assertThat(context.getEnvironment().getProperty("greeting")).isNull();
                });
    }

    @Test
    void aMissingDirectoryFailsTheStartWithTheKey() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessConfigReloadAutoConfiguration.class))
                .withPropertyValues("readiness.config.dir=" + dir.resolve("missing"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    var analysis = new ReadinessFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("readiness.config.dir");
                });
    }

    @Test
    void aDirectoryThatIsAFileFailsTheStartWithTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("app.properties"), "a.name=one\n");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessConfigReloadAutoConfiguration.class))
                .withPropertyValues("readiness.config.dir=" + file)
                .run(context -> {
                    assertThat(context).hasFailed();
                    var analysis = new ReadinessFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("readiness.config.dir");
                });
    }

    @Test
    void aBadSettingFailsTheStartWithKeyValueAndAllowed() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessConfigReloadAutoConfiguration.class))
                .withPropertyValues("readiness.config.dir=" + dir, "readiness.config.poll-interval=1ms")
                .run(context -> {
                    assertThat(context).hasFailed();
                    var analysis = new ReadinessFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'readiness.config.poll-interval'",
                            "must be between 10ms and 1h");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({A.class, B.class})
    static class Props {
        @Bean
        Events events() {
            return new Events();
        }
    }

    static class Events implements ApplicationListener<ConfigMapReloadedEvent> {
        final List<ConfigMapReloadedEvent> received = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ConfigMapReloadedEvent event) {
            received.add(event);
        }
    }

    @ConfigurationProperties("a")
    static class A {
        private String name;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    /** Validates itself, as Spring Boot lets a properties class do. */
    @ConfigurationProperties("b")
    static class B implements Validator {
        private int max = 1;
        private String label = "default";

        public int getMax() {
            return max;
        }

        public void setMax(int max) {
            this.max = max;
        }

        public String getLabel() {
            return label;
        }

        public void setLabel(String label) {
            this.label = label;
        }

        @Override
        public boolean supports(Class<?> clazz) {
            return B.class.isAssignableFrom(clazz);
        }

        @Override
        public void validate(Object target, Errors errors) {
            if (((B) target).max < 1) {
                errors.rejectValue("max", "min", "b.max must be at least 1");
            }
        }
    }

}
