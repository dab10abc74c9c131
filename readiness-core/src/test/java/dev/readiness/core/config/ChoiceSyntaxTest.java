package dev.readiness.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChoiceSyntaxTest {

    enum Colour { RED, GREEN, DARK_BLUE }

    private static final Key<Colour> COLOUR = Key.of("readiness.test.colour", Syntax.choice(Colour.class))
            .defaultsTo(Colour.RED).allowed("must be red, green or dark_blue", c -> true);

    @Test
    void readsAnyCaseAndShowsLowerCase() {
        assertThat(Syntax.choice(Colour.class).parse(" Green ")).isEqualTo(Colour.GREEN);
        assertThat(Syntax.choice(Colour.class).parse("DARK_blue")).isEqualTo(Colour.DARK_BLUE);
        assertThat(Syntax.choice(Colour.class).format(Colour.DARK_BLUE)).isEqualTo("dark_blue");
        assertThat(Syntax.choice(Colour.class).typeName()).isEqualTo("java.lang.String");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "blue", "RED;", "red\u0000", "r\u00e9d", "1"})
    void anythingElseIsRefusedNamingTheChoices(String text) {
        assertThatThrownBy(() -> Syntax.choice(Colour.class).parse(text))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not red, green or dark_blue");
    }

    @Test
    void aKeyOfChoicesNamesItselfTheValueAndTheChoices() {
        assertThat(COLOUR.parse("green")).isEqualTo(Colour.GREEN);
        assertThatThrownBy(() -> COLOUR.parse("purple")).isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.test.colour=purple")
                .hasMessageContaining("must be red, green or dark_blue");
        assertThatThrownBy(() -> COLOUR.check(null)).isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.test.colour");
        assertThat(COLOUR.syntax().format(COLOUR.defaultValue())).isEqualTo("red");
    }
}
