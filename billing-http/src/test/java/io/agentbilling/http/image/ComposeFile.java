package io.agentbilling.http.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's compose.yaml and the image settings of billing-http's pom, as the tests read them. */
final class ComposeFile {
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private ComposeFile() {
    }

    static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(REPOSITORY.resolve("compose.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The billing service's environment. */
    static Map<String, String> serverEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        read().path("services").path("billing").path("environment").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** The first group of {@code regex} in billing-http/pom.xml (or the parent's, for the version). */
    static String fromPom(String file, String regex) {
        try {
            Matcher matcher = Pattern.compile(regex).matcher(Files.readString(REPOSITORY.resolve(file)));
            if (!matcher.find()) {
                throw new AssertionError(regex + " is not in " + file);
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
