package io.agentbilling.http.abuse;

import java.util.List;

/**
 * Redirect targets a top-up must refuse when the allowed origins are {@code http://localhost:8080} and
 * {@code https://app.example.com} (the test application's): each would send a paying customer somewhere else, or
 * is read differently by browsers and by a URL parser.
 */
final class OpenRedirects {
    static final List<String> URLS = List.of(
            "https://evil.com/billing",
            "https://app.example.com.evil.com/",
            "https://evilapp.example.com/",
            "https://app.example.com@evil.com/",
            "https://app.example.com:443@evil.com/",
            "http://localhost:8080@evil.com/",
            "https://user:pass@app.example.com/",
            "//evil.com/",
            "///evil.com/",
            "/relative/path",
            "evil.com",
            "javascript:alert(document.domain)",
            "JavaScript://app.example.com/%0Aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "ftp://app.example.com/",
            "http://app.example.com/",
            "https://localhost:8080/",
            "https://app.example.com:8443/",
            "http://localhost:8081/",
            "http://localhost/",
            "https://app.example.com\\@evil.com/",
            "https://evil.com\\.app.example.com/",
            "https:\\\\evil.com",
            "https:/\\evil.com",
            "https://evil.com%2F@app.example.com/",
            "https://evil.com%2523@app.example.com/",
            "https://evil.com;@app.example.com/",
            "https://app.example.com%40evil.com/",
            "https://app%2Eexample%2Ecom/",
            "https://app.example.com%00.evil.com/",
            "https://app.example.com/\r\nLocation: https://evil.com",
            "https://app.example.com\t.evil.com/",
            " https://evil.com/",
            "https://аpp.example.com/",
            "https://xn--pp-8kc.example.com/",
            "https://app.example.com./",
            "https://[::1]:8080/",
            "http://127.0.0.1:8080/",
            "http://0x7f000001:8080/",
            "https:app.example.com",
            "https:/app.example.com/",
            "https:///app.example.com/",
            "",
            " ");

    private OpenRedirects() {
    }
}
