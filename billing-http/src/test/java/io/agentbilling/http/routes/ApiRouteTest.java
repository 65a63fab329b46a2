package io.agentbilling.http.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.http.auth.Access;
import io.agentbilling.http.errors.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiRouteTest {
    private final RouteRegistry registry = new RouteRegistry();

    @Test
    void a_declared_route_is_registered_with_its_path_parameters_completed_in_path_order() {
        ApiRoute route = registry.get("/v1/orgs/{orgId}/members/{memberId}", Access.INTERNAL)
                .pathParam("memberId", ParamType.UUID, "the member")
                .tag("orgs").tag("orgs")
                .errors(ErrorCode.NOT_FOUND)
                .handle(ctx -> Reply.ok("x"));

        assertThat(registry.routes()).containsExactly(route);
        assertThat(route.pathParams()).extracting(ParamDoc::name).containsExactly("orgId", "memberId");
        assertThat(route.pathParams().get(0).type()).isEqualTo(ParamType.STRING);
        assertThat(route.pathParams().get(1).type()).isEqualTo(ParamType.UUID);
        assertThat(route.tags()).containsExactly("orgs");
        assertThat(route.summary()).isEqualTo("GET /v1/orgs/{orgId}/members/{memberId}");
        assertThat(route.successStatus()).isEqualTo(200);
        assertThat(route.responseKind()).isEqualTo(ApiRoute.ResponseKind.DATA);
        assertThat(route).hasToString("GET /v1/orgs/{orgId}/members/{memberId} (INTERNAL)");
        assertThatThrownBy(() -> route.tags().add("more")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void a_route_that_says_nothing_comes_back_answers_204() {
        ApiRoute route = registry.delete("/v1/things/{id}", Access.ADMIN).returnsNothing().handle(ctx -> Reply.ok(null));
        assertThat(route.successStatus()).isEqualTo(204);
        assertThat(route.responseKind()).isEqualTo(ApiRoute.ResponseKind.EMPTY);
        assertThat(route.responseType()).isNull();
    }

    @Test
    void malformed_declarations_are_refused_and_not_registered() {
        assertThatThrownBy(() -> registry.get("no-slash", Access.MEMBER).handle(ctx -> Reply.ok("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a route path");
        assertThatThrownBy(() -> registry.get("/v1/a/{id}", Access.MEMBER).pathParam("other", ParamType.STRING, "x")
                .handle(ctx -> Reply.ok("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other");
        assertThatThrownBy(() -> registry.post("/v1/a", Access.MEMBER).status(302).handle(ctx -> Reply.ok("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2xx");
        assertThatThrownBy(() -> registry.get("/v1/a", Access.MEMBER).handle(String.class, (ctx, body) -> Reply.ok(body)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(registry.routes()).isEmpty();
    }

    @Test
    void two_routes_of_the_same_shape_clash() {
        registry.get("/v1/a/{x}", Access.MEMBER).handle(ctx -> Reply.ok("x"));
        assertThatThrownBy(() -> registry.get("/v1/a/{y}", Access.MEMBER).handle(ctx -> Reply.ok("y")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two routes");
        assertThat(registry.routes()).hasSize(1);
        assertThat(List.copyOf(registry.routes()).get(0).path()).isEqualTo("/v1/a/{x}");
    }
}
