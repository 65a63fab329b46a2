package io.agentbilling.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the README and the BOM promise consumers, checked against the sources of this build. */
class PublishedArtifactsTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>");

    @Test
    void the_readme_shows_the_embedding_example_as_compiled_and_run_by_the_embedded_service_example()
            throws IOException {
        String source = Files.readString(Path.of("embedded-service/src/main/java/com/example/service/ChargeModelCall.java"));
        String readme = Files.readString(ROOT.resolve("README.md"));

        assertThat(readme).contains("```java\n" + source + "```\n");
    }

    @Test
    void the_bom_lists_every_published_module_at_the_version_of_this_build() throws IOException {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String version = versionOf(parent);
        List<String> published = new ArrayList<>();
        Matcher modules = MODULE.matcher(parent.substring(0, parent.indexOf("</modules>")));
        while (modules.find()) {
            String module = modules.group(1);
            if (!module.equals("billing-bom") && !module.equals("examples")) {
                published.add(module);
            }
        }
        String bom = Files.readString(ROOT.resolve("billing-bom/pom.xml"));
        List<String> listed = new ArrayList<>();
        Matcher entries = ARTIFACT.matcher(bom.substring(bom.indexOf("<dependencyManagement>")));
        while (entries.find()) {
            listed.add(entries.group(1));
            assertThat(entries.group(2)).as(entries.group(1)).isEqualTo("${project.version}");
        }

        assertThat(listed).containsExactlyInAnyOrderElementsOf(published);
        assertThat(versionOf(bom)).isEqualTo(version);
        assertThat(bom).doesNotContain("<parent>");
    }

    /** The project's own version: the first version after the artifactId that follows any parent section. */
    private static String versionOf(String pom) {
        String afterParent = pom.contains("</parent>") ? pom.substring(pom.indexOf("</parent>")) : pom;
        Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(afterParent);
        if (!version.find()) {
            throw new AssertionError("no version in pom");
        }
        return version.group(1);
    }
}
