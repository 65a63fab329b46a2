package io.agentbilling.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentbilling.core.error.BillingException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * After Jackson: a component marked {@code @JsonProperty(required = true)} must be present <em>and</em> not
 * {@code null} (Jackson alone only checks presence). Walks nested records and collections of records.
 *
 * <p>What a record's components are called and which are required is read by reflection once per class and kept
 * ({@link ClassValue}): parsing annotations is far too slow for every request (it was a quarter of the server's CPU
 * under settlement load, and a thousand times that per batch request).
 */
final class RequiredFields {
    private static final int MAX_DEPTH = 16;

    /** A record component as this check needs it. */
    private record Component(String name, Method accessor, boolean required) {}

    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            List<Component> components = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                components.add(new Component(JsonNames.of(component), accessor, isRequired(component)));
            }
            return List.copyOf(components);
        }
    };

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
        for (Component component : COMPONENTS.get(type)) {
            String fieldPath = path.isEmpty() ? component.name() : path + "." + component.name();
            Object fieldValue = read(component, value);
            if (fieldValue == null && component.required()) {
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

    private static Object read(Component component, Object record) {
        try {
            return component.accessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.name(), e);
        }
    }
}
