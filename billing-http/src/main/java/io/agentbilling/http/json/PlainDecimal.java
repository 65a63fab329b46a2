package io.agentbilling.http.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes an exact decimal as a plain JSON number ({@code 10000000}, {@code 0.0000001}), never in scientific
 * notation ({@code 1E+7}), which is valid JSON but reads badly and trips naive parsers. Use on a {@code BigDecimal}
 * component with {@code @JsonSerialize(using = PlainDecimal.class)}.
 */
public final class PlainDecimal extends StdSerializer<BigDecimal> {
    private static final long serialVersionUID = 1L;

    public PlainDecimal() {
        super(BigDecimal.class);
    }

    @Override
    public void serialize(BigDecimal value, JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeNumber(plain(value));
    }

    /** The decimal without trailing zeros, in positional notation. */
    public static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }
}
