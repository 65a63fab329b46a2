package io.agentbilling.http.routes;

import io.agentbilling.http.auth.Access;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.Json;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route: method, path, who may call it, its description for {@code /openapi.json}, and its handler. Built through
 * {@link RouteRegistry#get}/{@code post}/…, which is the only way routes reach the server, so the access check, the
 * content-type check and the OpenAPI document all read the same declaration. Immutable: the lists and sets are
 * copies, and the path parameters are completed from the path (undescribed ones are documented as strings).
 *
 * @param method         the HTTP method
 * @param path           Javalin's path syntax: {@code /v1/internal/orgs/{orgId}/members}; the same in OpenAPI
 * @param access         who may call it
 * @param summary        one line for the OpenAPI operation
 * @param description    longer OpenAPI text, may be empty
 * @param tags           OpenAPI tags, in declaration order
 * @param pathParams     every {@code {name}} of the path, in path order
 * @param queryParams    documented query parameters
 * @param headerParams   documented request headers
 * @param errors         error codes the route documents beyond the ones its access level and body imply
 * @param requestType    the JSON body's record type, or {@code null} when the route takes no described body
 * @param bodyFormat     what the request body is
 * @param responseKind   what the route answers with
 * @param responseType   the type under {@code data} (or of each list item); {@code null} for an undescribed object
 * @param rawContentType the content type a {@link ResponseKind#RAW} route answers with, else {@code null}
 * @param successStatus  the status of a plain {@link Reply#ok}
 * @param handler        the Javalin handler, already wrapped to render the envelope
 */
public record ApiRoute(
        HttpMethod method,
        String path,
        Access access,
        String summary,
        String description,
        List<String> tags,
        List<ParamDoc> pathParams,
        List<ParamDoc> queryParams,
        List<ParamDoc> headerParams,
        Set<ErrorCode> errors,
        Class<?> requestType,
        BodyFormat bodyFormat,
        ResponseKind responseKind,
        Class<?> responseType,
        String rawContentType,
        int successStatus,
        Handler handler) {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");
    private static final Pattern PATH = Pattern.compile("/([A-Za-z0-9._:~-]+|\\{[A-Za-z][A-Za-z0-9_]*})"
            + "(/([A-Za-z0-9._:~-]+|\\{[A-Za-z][A-Za-z0-9_]*}))*|/");

    /** What a route answers with, for the OpenAPI description. */
    public enum ResponseKind {
        /** {@code {"data": <object>, "meta": …}}. */
        DATA,
        /** {@code {"data": [<item>…], "meta": {…, hasMore, nextCursor}}}. */
        LIST,
        /** 204, no body. */
        EMPTY,
        /** Something other than the JSON envelope (text, HTML, a redirect), written by a raw handler. */
        RAW
    }

    /** What a route accepts as a request body. */
    public enum BodyFormat {
        /** {@code application/json} (anything else → 415). */
        JSON,
        /** {@code application/x-www-form-urlencoded} (the local checkout page's form). */
        FORM
    }

    public ApiRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(bodyFormat, "bodyFormat");
        Objects.requireNonNull(responseKind, "responseKind");
        Objects.requireNonNull(handler, "handler");
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("not a route path: " + path);
        }
        if (successStatus < 200 || successStatus > 299) {
            throw new IllegalArgumentException("a success status is 2xx");
        }
        if (responseKind == ResponseKind.RAW && rawContentType == null) {
            throw new IllegalArgumentException("a raw route names its content type: " + path);
        }
        tags = List.copyOf(tags);
        pathParams = completePathParams(path, pathParams);
        queryParams = List.copyOf(queryParams);
        headerParams = List.copyOf(headerParams);
        errors = Set.copyOf(errors);
    }

    /** Method, path and access: what a log line or a failed check needs, without the whole declaration. */
    @Override
    public String toString() {
        return method + " " + path + " (" + access + ")";
    }

    private static List<ParamDoc> completePathParams(String path, List<ParamDoc> described) {
        List<ParamDoc> params = new ArrayList<>();
        Matcher matcher = PATH_PARAM.matcher(path);
        while (matcher.find()) {
            String name = matcher.group(1);
            params.add(described.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElse(new ParamDoc(name, ParamType.STRING, true, name)));
        }
        for (ParamDoc doc : described) {
            if (params.stream().noneMatch(p -> p.name().equals(doc.name()))) {
                throw new IllegalArgumentException("path parameter " + doc.name() + " is not in " + path);
            }
        }
        return List.copyOf(params);
    }

    /** Describes a route, then registers it with one of the {@code handle…} methods. Not thread-safe. */
    public static final class Builder {
        private final RouteRegistry registry;
        private final HttpMethod method;
        private final String path;
        private final Access access;
        private String summary;
        private String description = "";
        private final Set<String> tags = new LinkedHashSet<>();
        private final List<ParamDoc> pathParams = new ArrayList<>();
        private final List<ParamDoc> queryParams = new ArrayList<>();
        private final List<ParamDoc> headerParams = new ArrayList<>();
        private final Set<ErrorCode> errors = EnumSet.noneOf(ErrorCode.class);
        private Class<?> requestType;
        private BodyFormat bodyFormat = BodyFormat.JSON;
        private ResponseKind responseKind = ResponseKind.DATA;
        private Class<?> responseType;
        private String rawContentType;
        private int successStatus = 200;

        Builder(RouteRegistry registry, HttpMethod method, String path, Access access) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.method = Objects.requireNonNull(method, "method");
            this.path = Objects.requireNonNull(path, "path");
            this.access = Objects.requireNonNull(access, "access");
            this.summary = method + " " + path;
        }

        /** One line for the OpenAPI operation. */
        public Builder summary(String text) {
            this.summary = Objects.requireNonNull(text, "summary");
            return this;
        }

        public Builder description(String text) {
            this.description = Objects.requireNonNull(text, "description");
            return this;
        }

        public Builder tag(String tag) {
            tags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        public Builder query(String name, ParamType type, String text) {
            queryParams.add(new ParamDoc(name, type, false, text));
            return this;
        }

        public Builder requiredQuery(String name, ParamType type, String text) {
            queryParams.add(new ParamDoc(name, type, true, text));
            return this;
        }

        /** Describes a {@code {name}} of the path; undescribed ones are documented as strings. */
        public Builder pathParam(String name, ParamType type, String text) {
            pathParams.add(new ParamDoc(name, type, true, text));
            return this;
        }

        public Builder header(String name, String text) {
            headerParams.add(new ParamDoc(name, ParamType.STRING, false, text));
            return this;
        }

        /** Error codes this route can answer with besides the ones implied by its access level and body. */
        public Builder errors(ErrorCode... codes) {
            errors.addAll(List.of(codes));
            return this;
        }

        /** The status of a plain {@link Reply#ok} (default 200; 2xx, checked when the route is registered). */
        public Builder status(int status) {
            this.successStatus = status;
            return this;
        }

        /** {@code data} is one {@code type}. */
        public Builder returns(Class<?> type) {
            this.responseKind = ResponseKind.DATA;
            this.responseType = Objects.requireNonNull(type, "type");
            return this;
        }

        /** {@code data} is an array of {@code itemType}, with list meta. */
        public Builder returnsList(Class<?> itemType) {
            this.responseKind = ResponseKind.LIST;
            this.responseType = Objects.requireNonNull(itemType, "itemType");
            return this;
        }

        /** 204 No Content. */
        public Builder returnsNothing() {
            this.responseKind = ResponseKind.EMPTY;
            this.responseType = null;
            this.successStatus = 204;
            return this;
        }

        /** Documents a JSON body the handler reads itself (e.g. a webhook, which must see the raw bytes). */
        public Builder documentsBody(Class<?> type) {
            this.requestType = Objects.requireNonNull(type, "type");
            return this;
        }

        /** The body is an HTML form, not JSON. */
        public Builder acceptsForm() {
            this.bodyFormat = BodyFormat.FORM;
            return this;
        }

        /** Registers the route with a handler that takes no JSON body (or reads one itself). */
        public ApiRoute handle(ApiHandler apiHandler) {
            Objects.requireNonNull(apiHandler, "handler");
            int status = successStatus;
            return register(ctx -> ReplyWriter.write(ctx, apiHandler.handle(ctx), status));
        }

        /** Registers the route with a handler that receives the JSON body parsed as {@code bodyType}. */
        public <T> ApiRoute handle(Class<T> bodyType, BodyHandler<T> bodyHandler) {
            Objects.requireNonNull(bodyHandler, "handler");
            if (!method.takesBody()) {
                throw new IllegalStateException(method + " routes take no body: " + path);
            }
            this.requestType = Objects.requireNonNull(bodyType, "bodyType");
            this.bodyFormat = BodyFormat.JSON;
            int status = successStatus;
            return register(ctx -> ReplyWriter.write(ctx, bodyHandler.handle(ctx, Json.parse(ctx, bodyType)), status));
        }

        /**
         * Registers a route that writes its own response (text, HTML, a redirect) with the given content type; it
         * still gets the request id, the access check, the error envelope on failure, the log line and metrics.
         */
        public ApiRoute handleRaw(String contentType, Handler rawHandler) {
            Objects.requireNonNull(rawHandler, "handler");
            this.responseKind = ResponseKind.RAW;
            this.rawContentType = Objects.requireNonNull(contentType, "contentType");
            this.responseType = null;
            return register(rawHandler);
        }

        private ApiRoute register(Handler handler) {
            ApiRoute route = new ApiRoute(method, path, access, summary, description, List.copyOf(tags), pathParams,
                    queryParams, headerParams, errors, requestType, bodyFormat, responseKind, responseType,
                    rawContentType, successStatus, handler);
            registry.add(route);
            return route;
        }
    }
}
