package lambdesk.runtime;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

// A handler's event in and result out, through Jackson with the declared (generic) types:
// a String result is a JSON string, void or null is null.
final class Payloads {
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
    private final ObjectReader reader;
    private final ObjectWriter writer;

    Payloads(Type input, Type output) {
        this.reader = Json.MAPPER.readerFor(Json.MAPPER.getTypeFactory().constructType(input));
        boolean none = output == void.class || output == Void.class;
        this.writer = none ? null : Json.MAPPER.writerFor(Json.MAPPER.getTypeFactory().constructType(output));
    }

    Object read(byte[] event) {
        try {
            return reader.readValue(event);
        } catch (IOException e) {
            throw new RuntimeException("An error occurred during JSON parsing", new UncheckedIOException(e));
        }
    }

    byte[] write(Object result) {
        if (writer == null)
            return NULL;
        try {
            return writer.writeValueAsBytes(result);
        } catch (IOException e) {
            throw new RuntimeException("An error occurred during JSON serialization of response", e);
        }
    }
}
