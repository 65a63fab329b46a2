package io.agentbilling.http.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.error.FieldIssue;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the fields of a JSON tree that the target record does not have, everywhere in it. Jackson reports an
 * unknown field only after it has built the record, so a typo in a required field ({@code amountCent}) would
 * otherwise surface as "amountCents is required"; with this the caller is told about the typo too.
 */
final class UnknownFields {
    private static final int MAX_DEPTH = 16;
    private static final int MAX_ISSUES = 20;

    private UnknownFields() {
    }

    static List<FieldIssue> in(JsonNode tree, Class<?> type) {
        List<FieldIssue> issues = new ArrayList<>();
        scan(tree, type, "", 0, issues);
        return issues;
    }

    /** The node at a path of the form {@code a.b[2].c}, or {@code null} when absent. */
    static JsonNode at(JsonNode tree, String path) {
        JsonNode node = tree;
        for (String part : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (!name.isEmpty()) {
                node = node.get(name);
            }
            while (node != null && bracket >= 0) {
                int close = part.indexOf(']', bracket);
                node = node.get(Integer.parseInt(part.substring(bracket + 1, close)));
                bracket = part.indexOf('[', close);
            }
        }
        return node;
    }

    private static void scan(JsonNode node, Type type, String path, int depth, List<FieldIssue> issues) {
        if (node == null || depth > MAX_DEPTH || issues.size() >= MAX_ISSUES) {
            return;
        }
        Class<?> raw = raw(type);
        if (raw == null) {
            return;
        }
        if (Collection.class.isAssignableFrom(raw) && node.isArray() && type instanceof ParameterizedType generic) {
            for (int i = 0; i < node.size(); i++) {
                scan(node.get(i), generic.getActualTypeArguments()[0], path + "[" + i + "]", depth + 1, issues);
            }
            return;
        }
        if (!raw.isRecord() || !node.isObject() || CoreIdsModule.isCoreUuidId(raw) || ignoresUnknown(raw)) {
            return;
        }
        Map<String, RecordComponent> byName = new HashMap<>();
        for (RecordComponent component : raw.getRecordComponents()) {
            byName.put(JsonNames.of(component), component);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            RecordComponent component = byName.get(field.getKey());
            if (component == null) {
                if (issues.size() < MAX_ISSUES) {
                    issues.add(new FieldIssue(fieldPath, "is not a known field"));
                }
            } else {
                scan(field.getValue(), component.getGenericType(), fieldPath, depth + 1, issues);
            }
        }
    }

    private static boolean ignoresUnknown(Class<?> type) {
        JsonIgnoreProperties ignore = type.getAnnotation(JsonIgnoreProperties.class);
        return ignore != null && ignore.ignoreUnknown();
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> raw) {
            return raw;
        }
        if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            return raw;
        }
        return null;
    }
}
