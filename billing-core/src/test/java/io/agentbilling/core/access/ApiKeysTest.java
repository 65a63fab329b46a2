package io.agentbilling.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.port.SecureIdGenerator;
import io.agentbilling.testkit.SequentialIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeysTest {

    @Test
    void a_live_key_is_the_live_prefix_and_32_random_bytes_in_url_safe_base64() {
        ApiKeys.Generated key = ApiKeys.generate(new SecureIdGenerator().secureRandomBytes(ApiKeys.SECRET_BYTES), false);

        assertThat(key.plainKey()).startsWith("rt_live_").hasSize("rt_live_".length() + 43);
        String secret = key.plainKey().substring("rt_live_".length());
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
        assertThat(key.test()).isFalse();
    }

    @Test
    void a_test_key_has_the_test_prefix() {
        ApiKeys.Generated key = ApiKeys.generate(new SecureIdGenerator().secureRandomBytes(ApiKeys.SECRET_BYTES), true);

        assertThat(key.plainKey()).startsWith("rt_test_");
        assertThat(ApiKeys.isTestKey(key.plainKey())).isTrue();
        assertThat(ApiKeys.isWellFormed(key.plainKey())).isTrue();
    }

    @Test
    void the_secret_is_exactly_the_generators_secure_bytes() {
        SequentialIds ids = new SequentialIds();
        byte[] expected = new SequentialIds().secureRandomBytes(32);

        ApiKeys.Generated key = ApiKeys.generate(ids.secureRandomBytes(ApiKeys.SECRET_BYTES), false);

        assertThat(Base64.getUrlDecoder().decode(key.plainKey().substring(8))).isEqualTo(expected);
    }

    @Test
    void only_the_sha256_hex_and_a_short_prefix_are_kept_and_neither_reveals_the_key() throws Exception {
        ApiKeys.Generated key = ApiKeys.generate(new SecureIdGenerator().secureRandomBytes(ApiKeys.SECRET_BYTES), false);

        String expectedHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.plainKey().getBytes(StandardCharsets.UTF_8)));
        assertThat(key.keyHash()).isEqualTo(expectedHash).matches("[0-9a-f]{64}");
        assertThat(key.displayPrefix()).isEqualTo(key.plainKey().substring(0, 12)).hasSize(12);
        assertThat(key.toString()).doesNotContain(key.plainKey().substring(8));
    }

    @Test
    void generated_keys_differ() {
        SecureIdGenerator ids = new SecureIdGenerator();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            keys.add(ApiKeys.generate(ids.secureRandomBytes(ApiKeys.SECRET_BYTES), false).plainKey());
        }
        assertThat(keys).hasSize(200);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "rt_live_",
            "rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",    // 42 characters
            "rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  // 44 characters
            "rt_prod_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "RT_LIVE_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "sk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",   // not URL-safe
            "rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
            "rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ",
            "rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",   // spare bits set: no key of ours looks like this
            " rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    })
    void malformed_keys_are_refused(String presented) {
        assertThat(ApiKeys.isWellFormed(presented)).isFalse();
    }

    @Test
    void a_well_formed_key_need_not_exist() {
        assertThat(ApiKeys.isWellFormed("rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isTrue();
        assertThat(ApiKeys.isWellFormed("rt_test_" + "-_".repeat(21) + "A")).isTrue();
    }
}
