package io.agentbilling.http.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** {@code /docs} renders this server's {@code /openapi.json} with Swagger UI, in Chromium, from this server alone. */
class ApiDocsBrowserTest {
    private static TestApplication app;
    private static Browser browser;

    @BeforeAll
    static void start() {
        app = PageServer.start();
        browser = new Browser(PageServer.baseUrl(app));
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void the_docs_page_renders_every_operation_of_the_openapi_document_under_its_policy() {
        browser.open("/docs");

        List<WebElement> operations = browser.await("the operations rendered", d -> {
            List<WebElement> found = d.findElements(By.cssSelector(".swagger-ui .opblock"));
            return found.size() > 20 ? found : null;
        });
        int described = countOperations();
        assertThat(operations).hasSize(described);
        assertThat(browser.driver.findElement(By.cssSelector(".swagger-ui .info .title")).getText())
                .contains("Agent billing API");
        assertThat(operations).extracting(e -> e.findElement(By.cssSelector(".opblock-summary-path")).getText())
                .contains("/v1/billing/plan", "/v1/billing/session", "/v1/internal/billing/model-usage");

        operations.stream().filter(e -> e.getText().contains("/v1/billing/plan")).findFirst().orElseThrow()
                .findElement(By.cssSelector(".opblock-summary-control")).click();
        browser.await("an operation opens with its responses", d -> !d.findElements(
                By.cssSelector(".opblock.is-open .responses-table")).isEmpty());
        browser.screenshot("docs");

        assertThat(browser.console()).noneMatch(line -> line.contains("Content Security Policy")
                || line.contains("Uncaught"));
        Object elsewhere = browser.script("return performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => !n.startsWith(location.origin));");
        assertThat((List<?>) elsewhere).as("requests to other origins").isEmpty();
    }

    private static int countOperations() {
        Object count = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/openapi.json').then(r => r.json()).then(d => done(Object.values(d.paths)"
                + ".map(p => Object.keys(p).length).reduce((a, b) => a + b, 0)));");
        return ((Long) count).intValue();
    }
}
