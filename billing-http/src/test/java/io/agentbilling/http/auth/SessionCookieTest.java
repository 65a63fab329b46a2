package io.agentbilling.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionCookieTest {

    @Test
    void behind_https_the_cookie_is_secure_and_host_prefixed() {
        SessionCookie cookie = SessionCookie.forPublicUrl("https://billing.example.com");
        assertThat(cookie.secure()).isTrue();
        assertThat(cookie.name()).isEqualTo("__Host-billing_session");
        assertThat(cookie.set("bs_token", Duration.ofHours(8))).isEqualTo(
                "__Host-billing_session=bs_token; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict; Secure");
        assertThat(cookie.clear()).isEqualTo(
                "__Host-billing_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
    }

    @Test
    void over_plain_http_the_cookie_is_http_only_and_strict_but_not_secure() {
        SessionCookie cookie = SessionCookie.forPublicUrl("http://localhost:8080");
        assertThat(cookie.secure()).isFalse();
        assertThat(cookie.set("bs_token", Duration.ofMinutes(5)))
                .isEqualTo("billing_session=bs_token; Path=/; Max-Age=300; HttpOnly; SameSite=Strict");
    }

    @Test
    void the_csrf_token_belongs_to_one_session_and_is_compared_exactly() {
        String token = Csrf.tokenFor("bs_one");
        assertThat(token).isNotEqualTo(Csrf.tokenFor("bs_two")).doesNotContain("bs_one");
        assertThat(Csrf.matches("bs_one", token)).isTrue();
        assertThat(Csrf.matches("bs_two", token)).isFalse();
        assertThat(Csrf.matches("bs_one", token.toUpperCase(java.util.Locale.ROOT))).isFalse();
        assertThat(Csrf.matches("bs_one", null)).isFalse();
        assertThat(Csrf.matches("bs_one", "")).isFalse();
    }
}
