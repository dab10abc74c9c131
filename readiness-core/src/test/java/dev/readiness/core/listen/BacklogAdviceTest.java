package dev.readiness.core.listen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogAdviceTest {

    @Test
    void effectiveBacklogIsTheSmallerOfRequestAndSomaxconn() {
        assertThat(BacklogAdvice.effective(100, 4096)).isEqualTo(100);
        assertThat(BacklogAdvice.effective(1000, 128)).isEqualTo(128);
        assertThat(BacklogAdvice.effective(0, 4096)).as("JDK: below 1 means 50").isEqualTo(50);
        assertThat(BacklogAdvice.effective(0, 10)).isEqualTo(10);
        assertThat(BacklogAdvice.effective(-1, 4096)).isEqualTo(-1);
        assertThat(BacklogAdvice.effective(100, -1)).isEqualTo(-1);
    }

    @Test
    void warnsWhenTheRequestIsCappedNamingValuesAndFix() {
        assertThat(BacklogAdvice.advise(1000, 128, 128)).singleElement().asString()
                .contains("requests 1000", "net.core.somaxconn is 128", "silently uses 128",
                        "securityContext.sysctls", "--allowed-unsafe-sysctls=net.core.somaxconn", "baseline",
                        "value >= 1000");
    }

    @Test
    void warnsWhenTheJdkDefaultOf50IsInForce() {
        assertThat(BacklogAdvice.advise(0, 4096, 128)).singleElement().asString()
                .contains("JDK default of 50", "requested 0", "acceptCount", "acceptQueueSize",
                        "readiness.listen.min-backlog=0");
        assertThat(BacklogAdvice.advise(50, 4096, 128)).singleElement().asString().contains("JDK default of 50");
    }

    @Test
    void serviceThatExpectsNoLoadGetsNoBacklogWarning() {
        assertThat(BacklogAdvice.advise(0, 4096, 0)).isEmpty();
        assertThat(BacklogAdvice.advise(-1, 4096, 0)).isEmpty();
    }

    @Test
    void warnsWhenSomaxconnPullsTheBacklogBelowTheMinimum() {
        assertThat(BacklogAdvice.advise(511, 64, 128))
                .hasSize(2)
                .anySatisfy(w -> assertThat(w).contains("capped"))
                .anySatisfy(w -> assertThat(w).contains("effective listen backlog 64", "somaxconn is 64"));
    }

    @Test
    void warnsWhenTheRequestItselfIsBelowTheMinimum() {
        assertThat(BacklogAdvice.advise(10, 4096, 128)).singleElement().asString()
                .contains("listen backlog 10 is below readiness.listen.min-backlog=128");
    }

    @Test
    void aLargeEnoughBacklogDrawsNoWarning() {
        assertThat(BacklogAdvice.advise(100, 4096, 100)).isEmpty();
        assertThat(BacklogAdvice.advise(4096, 4096, 128)).isEmpty();
        assertThat(BacklogAdvice.advise(1000, -1, 128)).as("somaxconn unknown: nothing to compare").isEmpty();
    }

    @Test
    void unknownRequestIsSaidOnceWithTheKeyToSet() {
        assertThat(BacklogAdvice.advise(-1, 4096, 128)).singleElement().asString()
                .contains("readiness.listen.requested-backlog", "JDK default of 50", "somaxconn is 4096");
    }
}
