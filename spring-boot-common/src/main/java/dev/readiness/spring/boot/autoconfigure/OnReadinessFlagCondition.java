package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.config.Key;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link ConditionalOnReadinessFlag}'s condition. */
final class OnReadinessFlagCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = Objects.requireNonNull(
                metadata.getAnnotationAttributes(ConditionalOnReadinessFlag.class.getName()));
        String name = (String) attributes.get("value");
        boolean matchIfMissing = (Boolean) attributes.get("matchIfMissing");
        Key<Boolean> key = Key.flag(name);
        Optional<String> text = ReadinessSettings.of(context.getEnvironment()).text(name).filter(t -> !t.isBlank());
        boolean on = text.map(key::parse).orElse(matchIfMissing);
        String why = text.map(t -> name + "=" + t).orElse(name + " not set");
        return on ? ConditionOutcome.match(why) : ConditionOutcome.noMatch(why);
    }
}
