package dev.readiness.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.Map;
import java.util.Objects;

/** {@link ConditionalOnReadinessFlag}'s condition. */
final class OnReadinessFlagCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = Objects.requireNonNull(
                metadata.getAnnotationAttributes(ConditionalOnReadinessFlag.class.getName()));
        String name = (String) attributes.get("value");
        boolean matchIfMissing = (Boolean) attributes.get("matchIfMissing");
        ReadinessSettings settings = ReadinessSettings.of(context.getEnvironment());
        boolean on = settings.flag(name, matchIfMissing);
        String why = settings.text(name).filter(t -> !t.isBlank()).map(t -> name + "=" + t).orElse(name + " not set");
        return on ? ConditionOutcome.match(why) : ConditionOutcome.noMatch(why);
    }
}
