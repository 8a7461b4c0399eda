package lambdesk.runtime;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

// A handler's event in and result out, through Jackson with the declared (generic) types (a
// String result is a JSON string, void or null is null), or through the function's own
// CustomPojoSerializer when its code provides one.
final class Payloads {
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
    private final Type input;
    private final Type output;
    private final CustomPojoSerializer custom;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    Payloads(Type input, Type output, CustomPojoSerializer custom) {
        this.input = input;
        this.output = output;
        this.custom = custom;
        ObjectMapper mapper = Json.forType(input);
        this.reader = mapper.readerFor(mapper.getTypeFactory().constructType(input));
        boolean none = output == void.class || output == Void.class;
        this.writer = none ? null : Json.MAPPER.writerFor(Json.MAPPER.getTypeFactory().constructType(output));
    }

    Object read(byte[] event) {
        if (custom != null)
            return custom.fromJson(new ByteArrayInputStream(event), input);
        try {
            return reader.readValue(event);
        } catch (IOException e) {
            throw new RuntimeException("An error occurred during JSON parsing", new UncheckedIOException(e));
        }
    }

    byte[] write(Object result) {
        if (writer == null)
            return NULL;
        if (custom != null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            custom.toJson(result, out, output);
            return out.toByteArray();
        }
        try {
            return writer.writeValueAsBytes(result);
        } catch (IOException e) {
            throw new RuntimeException("An error occurred during JSON serialization of response", e);
        }
    }

    // The function's serializer, if its code names one in META-INF/services.
    static CustomPojoSerializer customSerializer(ClassLoader loader) {
        CustomPojoSerializer found = null;
        for (CustomPojoSerializer serializer : ServiceLoader.load(CustomPojoSerializer.class, loader)) {
            if (found != null)
                throw new IllegalStateException(
                        "Too many serializers provided inside the META-INF/services folder, only one is allowed");
            found = serializer;
        }
        return found;
    }
}
