package dev.readiness.gc.budget;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizesTest {

    @Test
    void jvmSizesUseBinaryUnits() {
        assertThat(Sizes.parseJvm("512m")).isEqualTo(512L << 20);
        assertThat(Sizes.parseJvm("1G")).isEqualTo(1L << 30);
        assertThat(Sizes.parseJvm("256k")).isEqualTo(256L << 10);
        assertThat(Sizes.parseJvm("1048576")).isEqualTo(1L << 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "-1m", "1.5g", "12mb", "99999999999999999999g", "1x"})
    void badJvmSizesAreRefusedNamingTheValue(String bad) {
        assertThatThrownBy(() -> Sizes.parseJvm(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + bad + "'");
    }

    /** Found writing GcSettingsPropertiesTest (which guards it): Character.isDigit read the Arabic-Indic and fullwidth digits. */
    @ParameterizedTest
    @ValueSource(strings = {"٥m", "５m", "1٠m"})
    void jvmSizesAreAsciiDigitsAsTheJvmReadsThem(String bad) {
        assertThatThrownBy(() -> Sizes.parseJvm(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + bad + "'");
    }

    /** Found writing GcSettingsPropertiesTest (which guards it): rounding 5e-99999999Ki up computed 10^99999999, 48 s of CPU. */
    @Test
    void aQuantityBelowOneByteIsOneByteAtOnce() {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(2), () -> {
            assertThat(Sizes.parseQuantity("5e-99999999Ki")).isEqualTo(1);
            assertThat(Sizes.parseQuantity("1e-999999")).isEqualTo(1);
            assertThat(Sizes.parseQuantity("0.5")).isEqualTo(1);
        });
    }

    @Test
    void kubernetesQuantitiesUseTheirOwnUnits() {
        assertThat(Sizes.parseQuantity("512Mi")).isEqualTo(512L << 20);
        assertThat(Sizes.parseQuantity("1Gi")).isEqualTo(1L << 30);
        assertThat(Sizes.parseQuantity("500M")).isEqualTo(500_000_000L);
        assertThat(Sizes.parseQuantity("1e9")).isEqualTo(1_000_000_000L);
        assertThat(Sizes.parseQuantity("1.5Gi")).isEqualTo(3L << 29);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Mi", "-1Gi", "lots", "0", "1Zi", "99999999999Ti"})
    void badQuantitiesAreRefusedNamingTheValue(String bad) {
        assertThatThrownBy(() -> Sizes.parseQuantity(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + bad + "'");
    }

    @Test
    void sizesAreWrittenInTheLargestWholeUnit() {
        assertThat(Sizes.jvm(2L << 30)).isEqualTo("2g");
        assertThat(Sizes.jvm(245L << 20)).isEqualTo("245m");
        assertThat(Sizes.jvm(1536L << 10)).isEqualTo("1536k");
        assertThat(Sizes.human(512L << 20)).isEqualTo("512 MiB");
    }
}
