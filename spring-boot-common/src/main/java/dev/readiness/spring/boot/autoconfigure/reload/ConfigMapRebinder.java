package dev.readiness.spring.boot.autoconfigure.reload;

import dev.readiness.core.reload.ConfigChange;
import dev.readiness.core.reload.ConfigSnapshot;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebinds the application's {@code @ConfigurationProperties} beans when the ConfigMap changes, all of them or
 * none:
 * <ol>
 *   <li>{@link #prepare} (a validator of the watcher, before anything is live): binds a fresh instance of every
 *       affected bean against the candidate generation, with the validation Spring Boot applies at start (the
 *       bean's own {@link Validator}, a {@code configurationPropertiesValidator} bean, Bean Validation on
 *       {@link Validated} classes). The first bean that does not bind or validate rejects the whole reload: the
 *       property source and every bean stay as they were, and the reason is logged and counted.</li>
 *   <li>{@link #apply} (a listener, after the swap): copies each prepared instance's fields into the live bean,
 *       then publishes a {@link ConfigMapReloadedEvent}.</li>
 * </ol>
 * Affected: beans whose prefix is or contains a changed key. Spring's own settings classes
 * ({@code org.springframework.*}) and {@link ReadinessProperties} are read at start only; constructor-bound
 * (immutable) beans are validated, and keep their values until restart (a warning says so).
 */
final class ConfigMapRebinder {

    private static final Logger log = LoggerFactory.getLogger(ConfigMapRebinder.class);

    private final ConfigurableEnvironment environment;
    private volatile ApplicationContext context;
    private Prepared pending;

    ConfigMapRebinder(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    /** From now on, beans of {@code context} are rebound. */
    void attach(ApplicationContext context) {
        this.context = context;
    }

    void detach() {
        this.context = null;
    }

    /** Binds and validates every affected bean against {@code candidate}; throws to reject the reload. */
    void prepare(ConfigSnapshot candidate) {
        ApplicationContext ctx = context;
        pending = null;
        if (ctx == null) {
            return; // at start, before the beans exist: they bind from the source once it holds this generation
        }
        Map<String, String> previous = values(ctx);
        Set<String> changed = ConfigChange.between(snapshotOf(previous), candidate).keys();
        if (changed.isEmpty()) {
            return;
        }
        MutablePropertySources sources = candidateSources(candidate.values());
        Binder binder = new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources), null, null, null);
        Map<String, Object> fresh = new LinkedHashMap<>();
        List<String> immutable = new ArrayList<>();
        for (ConfigurationPropertiesBean bean : ConfigurationPropertiesBean.getAll(ctx).values()) {
            Object instance = bean.getInstance();
            String prefix = bean.getAnnotation().prefix();
            if (!affected(prefix, changed) || ownedByFramework(instance.getClass())) {
                continue;
            }
            Bindable<?> target = bean.asBindTarget();
            Object bound;
            try {
                bound = bindFresh(binder, prefix, target, instance, ctx);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("@ConfigurationProperties bean '" + bean.getName() + "' (prefix '"
                        + prefix + "') rejects it, so no bean is rebound: " + reason(e), e);
            }
            if (target.getBindMethod() == BindMethod.VALUE_OBJECT) {
                immutable.add(bean.getName());
            } else {
                fresh.put(bean.getName(), bound);
            }
        }
        pending = new Prepared(candidate.generation(), fresh, immutable);
    }

    /** Applies what {@link #prepare} built for this change's generation. */
    void apply(ConfigChange change) {
        ApplicationContext ctx = context;
        Prepared p = pending;
        pending = null;
        if (ctx == null || p == null || p.generation != change.current().generation()) {
            return;
        }
        for (Map.Entry<String, Object> e : p.fresh.entrySet()) {
            copyFields(e.getValue(), ctx.getBean(e.getKey()));
        }
        if (!p.immutable.isEmpty()) {
            log.warn("config generation {}: constructor-bound @ConfigurationProperties bean(s) {} validated but not"
                    + " rebound (they are immutable); their new values apply at the next restart",
                    change.current().generation(), p.immutable);
        }
        if (!p.fresh.isEmpty()) {
            log.info("config generation {}: rebound @ConfigurationProperties bean(s) {}", change.current().generation(),
                    p.fresh.keySet());
        }
        ctx.publishEvent(new ConfigMapReloadedEvent(ctx, change, List.copyOf(p.fresh.keySet())));
    }

    private Object bindFresh(Binder binder, String prefix, Bindable<?> target, Object live, ApplicationContext ctx) {
        List<Validator> validators = validators(live, ctx);
        BindHandler handler = validators.isEmpty() ? BindHandler.DEFAULT
                : new ValidationBindHandler(validators.toArray(Validator[]::new));
        if (target.getBindMethod() == BindMethod.VALUE_OBJECT) {
            return binder.bindOrCreate(prefix, target, handler);
        }
        @SuppressWarnings("unchecked")
        Class<Object> type = (Class<Object>) live.getClass();
        Object fresh = BeanUtils.instantiateClass(type);
        binder.bind(prefix, Bindable.ofInstance(fresh).withAnnotations(target.getAnnotations()), handler);
        return fresh;
    }

    private static List<Validator> validators(Object live, ApplicationContext ctx) {
        List<Validator> out = new ArrayList<>();
        if (ctx.containsBean("configurationPropertiesValidator")) {
            out.add(ctx.getBean("configurationPropertiesValidator", Validator.class));
        }
        if (AnnotatedElementUtils.hasAnnotation(live.getClass(), Validated.class)) {
            Validator jsr303 = BeanValidation.validator();
            if (jsr303 != null) {
                out.add(jsr303);
            }
        }
        if (live instanceof Validator self && self.supports(live.getClass())) {
            out.add(self);
        }
        return out;
    }

    private static boolean affected(String prefix, Set<String> changed) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(prefix, '.');
        for (String key : changed) {
            ConfigurationPropertyName k = ConfigurationPropertyName.adapt(key, '.');
            if (name.isEmpty() || name.equals(k) || name.isAncestorOf(k)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ownedByFramework(Class<?> type) {
        return type == ReadinessProperties.class || type.getName().startsWith("org.springframework.");
    }

    private MutablePropertySources candidateSources(Map<String, String> candidate) {
        MutablePropertySources copy = new MutablePropertySources();
        for (PropertySource<?> s : environment.getPropertySources()) {
            if (ConfigMapPropertySource.NAME.equals(s.getName())) {
                copy.addLast(new MapPropertySource(s.getName(), new LinkedHashMap<>(candidate)));
            } else if (!"configurationProperties".equals(s.getName())) {
                copy.addLast(s);
            }
        }
        return copy;
    }

    private Map<String, String> values(ApplicationContext ctx) {
        PropertySource<?> s = environment.getPropertySources().get(ConfigMapPropertySource.NAME);
        return s instanceof ConfigMapPropertySource c ? c.snapshot().values() : Map.of();
    }

    private ConfigSnapshot snapshotOf(Map<String, String> values) {
        PropertySource<?> s = environment.getPropertySources().get(ConfigMapPropertySource.NAME);
        return ((ConfigMapPropertySource) s).snapshot();
    }

    /** Copies every instance field, superclasses included; the live object keeps its identity. */
    private static void copyFields(Object from, Object to) {
        Class<?> type = from.getClass();
        if (!ClassUtils.getUserClass(to).isAssignableFrom(type) && !type.isInstance(to)) {
            return;
        }
        ReflectionUtils.doWithFields(type, (Field f) -> {
            ReflectionUtils.makeAccessible(f);
            f.set(to, f.get(from));
        }, f -> !Modifier.isStatic(f.getModifiers()));
    }

    private static String reason(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null) {
            b.append(": ").append(root.getMessage());
        }
        return b.toString();
    }

    private record Prepared(long generation, Map<String, Object> fresh, List<String> immutable) {
    }

    /** Bean Validation, when a provider is on the class path. */
    private static final class BeanValidation {
        private static volatile Validator validator;
        private static volatile boolean tried;

        static Validator validator() {
            if (!tried) {
                synchronized (BeanValidation.class) {
                    if (!tried) {
                        tried = true;
                        if (ClassUtils.isPresent("jakarta.validation.Validation", BeanValidation.class.getClassLoader())) {
                            try {
                                validator = Jsr303.create();
                            } catch (RuntimeException | LinkageError e) {
                                log.debug("no Bean Validation provider: {}", e.toString());
                            }
                        }
                    }
                }
            }
            return validator;
        }
    }

    private static final class Jsr303 {
        static Validator create() {
            return new org.springframework.validation.beanvalidation.SpringValidatorAdapter(
                    jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator());
        }
    }
}
