package io.agentbilling.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentbilling.core.error.BillingException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;

/**
 * After Jackson: a component marked {@code @JsonProperty(required = true)} must be present <em>and</em> not
 * {@code null} (Jackson alone only checks presence). Walks nested records and collections of records.
 */
final class RequiredFields {
    private static final int MAX_DEPTH = 16;

    private RequiredFields() {
    }

    static void check(Object value) {
        check(value, "", 0);
    }

    private static void check(Object value, String path, int depth) {
        if (value == null || depth > MAX_DEPTH) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                check(item, path + "[" + index + "]", depth + 1);
                index++;
            }
            return;
        }
        Class<?> type = value.getClass();
        if (!type.isRecord() || CoreIdsModule.isCoreUuidId(type)) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String name = JsonNames.of(component);
            String fieldPath = path.isEmpty() ? name : path + "." + name;
            Object fieldValue = read(component, value);
            if (fieldValue == null && isRequired(component)) {
                throw BillingException.invalid(fieldPath, "is required");
            }
            check(fieldValue, fieldPath, depth + 1);
        }
    }

    static boolean isRequired(RecordComponent component) {
        if (component.getType().isPrimitive()) {
            return true;
        }
        JsonProperty property = JsonNames.annotation(component, JsonProperty.class);
        return property != null && property.required();
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            component.getAccessor().setAccessible(true);
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }
}
