package io.agentbilling.http.pages;

import io.agentbilling.http.auth.Access;
import io.agentbilling.http.errors.ApiException;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The pages the server shows people: the billing page ({@code /billing}) and the API reference ({@code /docs}, Swagger
 * UI rendering {@code /openapi.json}). Plain files from the jar — the page's own HTML, CSS and script, and Swagger UI
 * from its webjar — read once at start-up; nothing is built and nothing is loaded from another origin. Each file is
 * served under a fixed name (no path from the request reaches the class path). A strict Content-Security-Policy
 * allows scripts, styles and requests from this origin only, and no framing. Thread-safe (immutable once built).
 */
public final class PageRoutes implements RouteGroup {
    static final String HTML = "text/html; charset=utf-8";
    /**
     * Only this origin's scripts, styles, images (and data: images, which Swagger UI's stylesheet uses for icons) and
     * requests; no plugins, no framing, no base-URI or form target elsewhere.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/";

    /** A file as served: its bytes and content type. */
    private record Asset(byte[] bytes, String contentType) {}

    private final Asset billingPage = asset("pages/billing/index.html", HTML);
    private final Map<String, Asset> billingAssets = new LinkedHashMap<>();
    private final Asset docsPage = asset("pages/docs/index.html", HTML);
    private final Map<String, Asset> docsAssets = new LinkedHashMap<>();

    public PageRoutes() {
        billingAssets.put("billing.css", asset("pages/billing/billing.css", "text/css; charset=utf-8"));
        billingAssets.put("billing.js", asset("pages/billing/billing.js", "text/javascript; charset=utf-8"));
        String swagger = SWAGGER_UI + swaggerUiVersion() + "/";
        docsAssets.put("swagger-ui.css", asset(swagger + "swagger-ui.css", "text/css; charset=utf-8"));
        docsAssets.put("swagger-ui-bundle.js", asset(swagger + "swagger-ui-bundle.js", "text/javascript; charset=utf-8"));
        docsAssets.put("docs.css", asset("pages/docs/docs.css", "text/css; charset=utf-8"));
        docsAssets.put("docs.js", asset("pages/docs/docs.js", "text/javascript; charset=utf-8"));
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.get("/billing", Access.PUBLIC_NONE)
                .summary("The billing page (HTML), for people: balance, usage, history, top-ups").tag("pages")
                .description("Signs in with an API key through POST /v1/billing/session and then uses the API with "
                        + "the session cookie.")
                .handleRaw(HTML, ctx -> serve(ctx, billingPage));
        routes.get("/billing/assets/{file}", Access.PUBLIC_NONE)
                .summary("A file of the billing page (its stylesheet and script)").tag("pages")
                .pathParam("file", ParamType.STRING, "billing.css or billing.js")
                .errors(ErrorCode.NOT_FOUND)
                .handleRaw("text/javascript", ctx -> serve(ctx, find(billingAssets, ctx)));
        routes.get("/docs", Access.PUBLIC_NONE)
                .summary("This API's reference in the browser (Swagger UI rendering /openapi.json)").tag("pages")
                .handleRaw(HTML, ctx -> serve(ctx, docsPage));
        routes.get("/docs/assets/{file}", Access.PUBLIC_NONE)
                .summary("A file of the API reference page (Swagger UI, served from this server)").tag("pages")
                .pathParam("file", ParamType.STRING, "swagger-ui.css, swagger-ui-bundle.js, docs.css or docs.js")
                .errors(ErrorCode.NOT_FOUND)
                .handleRaw("text/javascript", ctx -> serve(ctx, find(docsAssets, ctx)));
    }

    private static Asset find(Map<String, Asset> assets, Context ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        if (asset == null) {
            throw ApiException.of(ErrorCode.NOT_FOUND, "no such file");
        }
        return asset;
    }

    private static void serve(Context ctx, Asset asset) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private static Asset asset(String resource, String contentType) {
        try (InputStream in = PageRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + resource);
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The version of the Swagger UI webjar on the class path: its files live under a directory named after it. */
    private static String swaggerUiVersion() {
        Properties properties = new Properties();
        String resource = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
        try (InputStream in = PageRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the Swagger UI webjar is not on the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return properties.getProperty("version");
    }
}
