package dev.readiness.testkit.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CookieJarTest {

    @Test
    void cookiesAreSetReplacedAndDeletedAndSentBackInOneHeader() {
        CookieJar jar = new CookieJar();
        assertThat(jar.headers()).isEmpty();
        jar.remember(List.of("SESSION=abc; Path=/; HttpOnly", "other=1"));
        jar.remember(List.of("SESSION=def; Path=/"));
        assertThat(jar.header()).isEqualTo("SESSION=def; other=1");
        jar.remember(List.of("other=; Max-Age=0", "=nameless", "broken"));
        assertThat(jar.headers()).isEqualTo(Map.of("Cookie", "SESSION=def"));
        jar.remember(List.of("SESSION=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT"));
        assertThat(jar.isEmpty()).isTrue();
        assertThat(jar.header()).isNull();
    }
}
