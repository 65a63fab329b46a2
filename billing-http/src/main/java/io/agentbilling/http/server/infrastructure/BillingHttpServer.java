package io.agentbilling.http.server.infrastructure;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.http.auth.AccessGuard;
import io.agentbilling.http.auth.InternalSecretVerifier;
import io.agentbilling.http.auth.SessionCookie;
import io.agentbilling.http.errors.ApiException;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.errors.ErrorResponses;
import io.agentbilling.http.json.Envelopes;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.json.MediaTypes;
import io.agentbilling.http.routes.ApiRoute;
import io.agentbilling.http.routes.HttpMethod;
import io.agentbilling.http.routes.RequestIds;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.security.Roles;
import io.javalin.validation.ValidationException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the configured, not yet started Javalin server: every route from the registry, the access check, the
 * envelope, error mapping, request ids, the request log, metrics and graceful shutdown, all in one
 * {@code Javalin.create(config -> …)} block.
 *
 * <pre>{@code
 * Javalin app = BillingHttpServer.create(HttpServerSettings.from(config),
 *         new HttpDependencies(authenticator, credentials, readiness, metrics),
 *         List.of(new CreditRoutes(readCredits), new TopupRoutes(startTopup)));
 * app.start();
 * …
 * app.stop();   // drains in-flight requests (up to the shutdown timeout); then close the pool
 * }</pre>
 */
public final class BillingHttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(BillingHttpServer.class);

    private BillingHttpServer() {
    }

    public static Javalin create(HttpServerSettings settings, HttpDependencies dependencies,
            List<? extends RouteGroup> routeGroups) {
        RouteRegistry registry = new RouteRegistry();
        ReadinessProbe readiness = new ReadinessProbe(dependencies.readiness(), settings.readinessTimeout());
        new OperationalRoutes(readiness, dependencies.metrics(), registry, settings).addTo(registry);
        registry.addAll(routeGroups);
        AccessGuard guard = new AccessGuard(dependencies.authenticator(),
                new InternalSecretVerifier(dependencies.internalCredentials()), dependencies.sessions(),
                SessionCookie.forPublicUrl(settings.publicUrl()));
        RateLimitGate rateLimits = new RateLimitGate(settings.rateLimit());

        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.defaultContentType = MediaTypes.JSON;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.jetty.modifyServer(server -> {
                // With a stop timeout, Server.stop() stops accepting, then waits for the requests GracefulHandler
                // counts, for at most that long, before closing connections.
                server.setStopTimeout(settings.shutdownTimeout().toMillis());
                server.insertHandler(new GracefulHandler());
                server.setErrorHandler(new JsonJettyErrorHandler());
            });
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonJettyErrorHandler()));
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });

            MatchedRoutes matchedRoutes = new MatchedRoutes(config.unsafe.internalRouter);
            ErrorResponses errors = new ErrorResponses(matchedRoutes::allowedMethods);
            RequestObserver observer = new RequestObserver(matchedRoutes, dependencies.metrics());

            config.routes.before(ctx -> RequestGate.onArrival(ctx, settings.maxBodyBytes()));
            config.routes.beforeMatched(ctx -> {
                ApiRoute route = matchedRoutes.route(ctx);
                if (route == null) {
                    throw new IllegalStateException("a matched endpoint without a route declaration: " + ctx.path());
                }
                guard.check(ctx, route.access());
                rateLimits.check(ctx, route.access());
                RequestGate.checkBody(ctx, route);
            });
            for (ApiRoute route : registry.routes()) {
                config.routes.addEndpoint(endpoint(new HandlerType(route.method().name()), route));
                if (route.method() == HttpMethod.GET) {
                    // Javalin would answer HEAD with a bare 200 without running the GET handler, so a HEAD /ready
                    // would say "ready" whatever the database does. Run the handler; Jetty drops the body.
                    config.routes.addEndpoint(endpoint(HandlerType.HEAD, route));
                }
            }

            config.routes.exception(BillingException.class, errors::onBillingException);
            config.routes.exception(ApiException.class, errors::onApiException);
            config.routes.exception(HttpResponseException.class, errors::onHttpResponseException);
            config.routes.exception(ValidationException.class, errors::onValidationException);
            config.routes.exception(Exception.class, errors::onException);
            config.router.javaLangErrorHandler(BillingHttpServer::onJavaLangError);

            config.requestLogger.http(observer::observe);
            config.events.serverStopped(readiness::close);
        });
    }

    private static Endpoint endpoint(HandlerType method, ApiRoute route) {
        return Endpoint.create(method, route.path())
                .addMetadata(new Roles(Set.of(route.access())))
                .addMetadata(new RouteMetadata(route))
                .handler(route.handler());
    }

    /** An {@link Error} (out of memory, stack overflow) escaped a handler: answer 500 in our envelope if we still can. */
    private static void onJavaLangError(HttpServletResponse response, Error error) {
        String assigned = response.getHeader(RequestIds.HEADER);
        String requestId = assigned != null ? assigned : RequestIds.generate();
        LOG.error("requestId={} fatal error while serving a request", requestId, error);
        try {
            if (!response.isCommitted()) {
                response.resetBuffer();
                response.setStatus(ErrorCode.INTERNAL_ERROR.status());
                response.setContentType(MediaTypes.JSON_UTF8);
                response.setHeader(RequestIds.HEADER, requestId);
                response.getOutputStream().write(Json.write(new Envelopes.Error(new Envelopes.ErrorBody(
                        ErrorCode.INTERNAL_ERROR.wireCode(), ErrorResponses.defaultMessage(ErrorCode.INTERNAL_ERROR),
                        requestId, List.of()))).getBytes(UTF_8));
            }
        } catch (Exception | Error ignored) {
            // nothing more can be done for this response; the error is already logged
        }
    }
}
