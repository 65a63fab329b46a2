package io.agentbilling.http.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonTest {
    record Item(@JsonProperty(required = true) String model, long tokens) {
    }

    record Topup(long amountCents, OrgId orgId, String successUrl, Instant at, Boolean test, List<Item> items) {
    }

    record Positive(long amountCents) {
        Positive {
            if (amountCents <= 0) {
                throw BillingException.invalid("amountCents", "must be positive");
            }
        }
    }

    private static FieldIssue issueOf(String json, Class<?> type) {
        BillingException refused = catchThrowableOfType(BillingException.class, () -> Json.parse(json.getBytes(UTF_8), type));
        assertThat(refused).as(json).isNotNull();
        assertThat(refused.error()).isEqualTo(BillingError.BAD_REQUEST);
        assertThat(refused.details()).hasSize(1);
        return refused.details().get(0);
    }

    @Test
    void properties_are_accessed_through_generated_accessors_not_per_call_reflection() {
        assertThat(Json.mapper().getRegisteredModuleIds())
                .contains(new com.fasterxml.jackson.module.blackbird.BlackbirdModule().getTypeId());
    }

    @Test
    void reads_a_well_formed_body_with_typed_ids_and_timestamps() {
        UUID org = UUID.randomUUID();
        Topup topup = Json.parse(("{\"amountCents\": 500, \"orgId\": \"" + org + "\", \"at\": \"2026-11-27T10:31:00Z\","
                + " \"items\": [{\"model\": \"gpt\", \"tokens\": 3}]}").getBytes(UTF_8), Topup.class);
        assertThat(topup.amountCents()).isEqualTo(500);
        assertThat(topup.orgId()).isEqualTo(new OrgId(org));
        assertThat(topup.at()).isEqualTo(Instant.parse("2026-11-27T10:31:00Z"));
        Topup withOffset = Json.parse("{\"amountCents\": 1, \"at\": \"2026-11-27T12:31:00+02:00\"}".getBytes(UTF_8), Topup.class);
        assertThat(withOffset.at()).isEqualTo(Instant.parse("2026-11-27T10:31:00Z"));
    }

    @Test
    void writes_camel_case_rfc3339_utc_and_ids_as_strings() {
        UUID org = UUID.fromString("7d3c1f6e-0000-4000-8000-000000000001");
        String json = Json.write(Map.of("x", new Topup(5, new OrgId(org), null,
                Instant.parse("2026-11-27T10:31:00Z"), null, List.of())));
        assertThat(json).contains("\"amountCents\":5", "\"orgId\":\"" + org + "\"", "\"at\":\"2026-11-27T10:31:00Z\"");
    }

    @Test
    void refuses_floats_strings_booleans_and_huge_numbers_for_integers() {
        assertThat(issueOf("{\"amountCents\": 12.5}", Topup.class)).isEqualTo(new FieldIssue("amountCents", "must be an integer"));
        assertThat(issueOf("{\"amountCents\": 12.0}", Topup.class).field()).isEqualTo("amountCents");
        assertThat(issueOf("{\"amountCents\": 1e3}", Topup.class).field()).isEqualTo("amountCents");
        assertThat(issueOf("{\"amountCents\": \"12\"}", Topup.class)).isEqualTo(new FieldIssue("amountCents", "must be an integer"));
        assertThat(issueOf("{\"amountCents\": true}", Topup.class).field()).isEqualTo("amountCents");
        assertThat(issueOf("{\"amountCents\": 9223372036854775808}", Topup.class).field()).isEqualTo("amountCents");
        assertThat(issueOf("{\"amountCents\": -99999999999999999999999}", Topup.class).field()).isEqualTo("amountCents");
        assertThat(issueOf("{\"amountCents\": null}", Topup.class)).isEqualTo(new FieldIssue("amountCents", "must not be null"));
        assertThat(issueOf("{\"items\": [{\"model\": \"m\", \"tokens\": 1.5}]}", Topup.class).field()).isEqualTo("items[0].tokens");
    }

    @Test
    void refuses_other_type_mismatches() {
        assertThat(issueOf("{\"amountCents\": 1, \"successUrl\": 5}", Topup.class).field()).isEqualTo("successUrl");
        assertThat(issueOf("{\"amountCents\": 1, \"test\": \"true\"}", Topup.class).field()).isEqualTo("test");
        assertThat(issueOf("{\"amountCents\": 1, \"test\": 1}", Topup.class).field()).isEqualTo("test");
        assertThat(issueOf("{\"amountCents\": 1, \"orgId\": \"nope\"}", Topup.class)).isEqualTo(new FieldIssue("orgId", "must be a UUID string"));
        assertThat(issueOf("{\"amountCents\": 1, \"orgId\": \"1-1-1-1-1\"}", Topup.class))
                .isEqualTo(new FieldIssue("orgId", "must be a UUID string"));
        assertThat(issueOf("{\"amountCents\": 1, \"orgId\": \"0000000000001-1-1-1-1\"}", Topup.class).field())
                .isEqualTo("orgId");
        assertThat(issueOf("{\"amountCents\": 1, \"at\": 1700000000}", Topup.class).field()).isEqualTo("at");
        assertThat(issueOf("{\"amountCents\": 1, \"at\": \"yesterday\"}", Topup.class).field()).isEqualTo("at");
        assertThat(issueOf("{\"amountCents\": 1, \"items\": {}}", Topup.class).field()).isEqualTo("items");
        assertThat(issueOf("[1]", Topup.class).field()).isEqualTo("body");
    }

    @Test
    void refuses_unknown_missing_and_duplicate_fields() {
        assertThat(issueOf("{\"amountCents\": 5, \"amountCnets\": 5}", Topup.class)).isEqualTo(new FieldIssue("amountCnets", "is not a known field"));
        BillingException typo = catchThrowableOfType(BillingException.class,
                () -> Json.parse("{\"amountCent\": 5}".getBytes(UTF_8), Topup.class));
        assertThat(typo.details()).containsExactly(
                new FieldIssue("amountCent", "is not a known field"), new FieldIssue("amountCents", "is required"));
        assertThat(issueOf("{\"amountCents\": 5, \"items\": [{\"model\": \"m\", \"tokens\": 1, \"x\": 1}]}", Topup.class).field()).isEqualTo("items[0].x");
        assertThat(issueOf("{}", Topup.class)).isEqualTo(new FieldIssue("amountCents", "is required"));
        assertThat(issueOf("{\"amountCents\": 5, \"items\": [{\"tokens\": 1}]}", Topup.class)).isEqualTo(new FieldIssue("items[0].model", "is required"));
        assertThat(issueOf("{\"amountCents\": 5, \"items\": [{\"model\": null, \"tokens\": 1}]}", Topup.class)).isEqualTo(new FieldIssue("items[0].model", "is required"));
        assertThat(issueOf("{\"amountCents\": 5, \"amountCents\": 6}", Topup.class).field()).isEqualTo("body");
    }

    @Test
    void refuses_malformed_and_empty_bodies_without_echoing_jackson() {
        FieldIssue malformed = issueOf("{\"amountCents\": ", Topup.class);
        assertThat(malformed.field()).isEqualTo("body");
        assertThat(issueOf("{amountCents: 5}", Topup.class).issue()).startsWith("is not valid JSON").doesNotContain("Topup");
        assertThat(issueOf("{\"amountCents\": 5} trailing", Topup.class).field()).isEqualTo("body");
        assertThat(issueOf("   ", Topup.class)).isEqualTo(new FieldIssue("body", "is required"));
        assertThat(issueOf("null", Topup.class).field()).isEqualTo("body");
        assertThat(issueOf("[".repeat(200), Topup.class).field()).isEqualTo("body");
    }

    @Test
    void refuses_timestamps_outside_the_years_rfc_3339_can_write() {
        for (String at : new String[] {"+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                "+1000000000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"}) {
            assertThat(issueOf("{\"amountCents\": 1, \"at\": \"" + at + "\"}", Topup.class)).as(at)
                    .isEqualTo(new FieldIssue("at", "must be an RFC 3339 timestamp such as 2026-11-27T10:31:00Z"));
        }
        assertThat(Json.parse("{\"amountCents\": 1, \"at\": \"9999-12-31T23:59:59Z\"}".getBytes(UTF_8), Topup.class).at())
                .isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
        assertThat(Json.parse("{\"amountCents\": 1, \"at\": \"0000-01-01T00:00:00Z\"}".getBytes(UTF_8), Topup.class).at())
                .isEqualTo(Instant.parse("0000-01-01T00:00:00Z"));
    }

    @Test
    void refuses_text_the_database_cannot_keep_exactly_naming_the_field() {
        assertThat(issueOf("{\"amountCents\": 1, \"successUrl\": \"a\\u0000b\"}", Topup.class))
                .isEqualTo(new FieldIssue("successUrl", "must not contain NUL (U+0000) characters"));
        assertThat(issueOf("{\"amountCents\": 1, \"items\": [{\"model\": \"a\\ud800b\", \"tokens\": 1}]}",
                Topup.class)).isEqualTo(new FieldIssue("items[0].model",
                "must be valid Unicode text (it holds an unpaired surrogate)"));
        assertThat(issueOf("{\"amountCents\": 1, \"successUrl\": \"\\udc00\"}", Topup.class).field())
                .isEqualTo("successUrl");
        Topup fine = Json.parse("{\"amountCents\": 1, \"successUrl\": \"\\ud83d\\udcb8 tab\\t \\u0007 '; --\"}"
                .getBytes(UTF_8), Topup.class);
        assertThat(fine.successUrl()).isEqualTo("\ud83d\udcb8 tab\t \u0007 '; --");
    }

    @Test
    void an_escaped_copy_keeps_unpaired_surrogates_visible_to_the_next_read() {
        byte[] copy = Json.writeEscaped(Map.of("amountCents", 1, "successUrl", "a\ud800b"));
        assertThat(issueOf(new String(copy, UTF_8), Topup.class).field()).isEqualTo("successUrl");
        byte[] emoji = Json.writeEscaped(Map.of("amountCents", 1, "successUrl", "\ud83d\udcb8é"));
        assertThat(Json.parse(emoji, Topup.class).successUrl()).isEqualTo("\ud83d\udcb8é");
    }

    @Test
    void keeps_the_words_of_a_record_that_validates_itself() {
        assertThat(issueOf("{\"amountCents\": -1}", Positive.class)).isEqualTo(new FieldIssue("amountCents", "must be positive"));
    }
}
