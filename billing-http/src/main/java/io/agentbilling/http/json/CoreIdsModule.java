package io.agentbilling.http.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.UUID;

/**
 * Renders the core's typed ids ({@code OrgId}, {@code MemberId}, {@code EntryId}, … — any record of the core with a
 * single {@code UUID value} component) as the bare UUID string the API documents, and reads them back from one. So
 * request and response records of this module may use the typed ids directly, and the core stays free of Jackson.
 */
final class CoreIdsModule extends SimpleModule {
    private static final long serialVersionUID = 1L;
    private static final String CORE_PACKAGE_PREFIX = "io.agentbilling.core.";

    CoreIdsModule() {
        super("agentbilling-core-ids");
    }

    /** True for a core record whose only component is {@code UUID value}. */
    static boolean isCoreUuidId(Class<?> type) {
        if (!type.isRecord() || !type.getName().startsWith(CORE_PACKAGE_PREFIX)) {
            return false;
        }
        RecordComponent[] components = type.getRecordComponents();
        return components.length == 1
                && components[0].getName().equals("value")
                && components[0].getType() == UUID.class;
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addSerializers(new Serializers.Base() {
            @Override
            public JsonSerializer<?> findSerializer(
                    SerializationConfig config, JavaType type, BeanDescription beanDesc) {
                return isCoreUuidId(type.getRawClass()) ? new IdSerializer(type.getRawClass()) : null;
            }
        });
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public JsonDeserializer<?> findBeanDeserializer(
                    JavaType type, DeserializationConfig config, BeanDescription beanDesc) {
                return isCoreUuidId(type.getRawClass()) ? new IdDeserializer(type.getRawClass()) : null;
            }
        });
    }

    private static final class IdSerializer extends StdSerializer<Object> {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("unchecked")
        IdSerializer(Class<?> type) {
            super((Class<Object>) type);
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            try {
                Object uuid = value.getClass().getRecordComponents()[0].getAccessor().invoke(value);
                generator.writeString(uuid.toString());
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read the value of " + value.getClass().getName(), e);
            }
        }
    }

    private static final class IdDeserializer extends StdScalarDeserializer<Object> {
        private static final long serialVersionUID = 1L;
        private final transient Constructor<?> constructor;

        IdDeserializer(Class<?> type) {
            super(type);
            try {
                this.constructor = type.getDeclaredConstructor(UUID.class);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(type.getName() + " has no canonical (UUID) constructor", e);
            }
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return context.handleUnexpectedToken(handledType(), parser);
            }
            String text = parser.getText();
            UUID uuid;
            try {
                uuid = UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                return context.handleWeirdStringValue(handledType(), text, "not a UUID");
            }
            if (!uuid.toString().equalsIgnoreCase(text)) {
                // UUID.fromString also reads "1-1-1-1-1" (as 00000001-0001-…): only the canonical 8-4-4-4-12 form,
                // as query and path parameters require.
                return context.handleWeirdStringValue(handledType(), text, "not a UUID");
            }
            try {
                return constructor.newInstance(uuid);
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                return context.handleInstantiationProblem(handledType(), uuid, e);
            }
        }
    }
}
