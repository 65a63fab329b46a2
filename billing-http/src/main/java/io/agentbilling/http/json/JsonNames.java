package io.agentbilling.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;

/** The JSON name of a record component, honouring {@code @JsonProperty("…")} wherever Jackson would see it. */
final class JsonNames {
    private JsonNames() {
    }

    static String of(RecordComponent component) {
        JsonProperty property = annotation(component, JsonProperty.class);
        if (property != null && !property.value().isEmpty()) {
            return property.value();
        }
        return component.getName();
    }

    /**
     * An annotation on the component, its accessor, its field or its constructor parameter: Java propagates a
     * record-component annotation to each of those its {@code @Target} allows, so look at all of them.
     */
    static <A extends Annotation> A annotation(RecordComponent component, Class<A> type) {
        A found = component.getAnnotation(type);
        if (found == null) {
            found = component.getAccessor().getAnnotation(type);
        }
        if (found == null) {
            try {
                Field field = component.getDeclaringRecord().getDeclaredField(component.getName());
                found = field.getAnnotation(type);
            } catch (NoSuchFieldException e) {
                found = null;
            }
        }
        if (found == null) {
            found = constructorParameterAnnotation(component, type);
        }
        return found;
    }

    private static <A extends Annotation> A constructorParameterAnnotation(RecordComponent component, Class<A> type) {
        Class<?> record = component.getDeclaringRecord();
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        int index = -1;
        for (int i = 0; i < components.length; i++) {
            parameterTypes[i] = components[i].getType();
            if (components[i].getName().equals(component.getName())) {
                index = i;
            }
        }
        try {
            return record.getDeclaredConstructor(parameterTypes).getParameters()[index].getAnnotation(type);
        } catch (NoSuchMethodException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }
}
