package lambdesk.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.lang.reflect.Type;

// The object mapper for handler inputs and outputs, configured as Lambda's Java runtime
// configures its own (aws-lambda-java-serialization's JacksonFactory): a lenient parser,
// unknown properties ignored, single values taken as arrays and back, nulls left out of
// output, standard bean naming and no creator detection. Lambda's Jackson is shaded, so a
// function's own Jackson annotations do not reach it: annotations are off here for the same
// result.
final class Json {
    static final ObjectMapper MAPPER = builder().build();
    // For the classes of aws-lambda-java-events, which Lambda's serialization reads through
    // mix-ins naming their JSON fields ("Records", "eventSourceARN"): the same fields, matched
    // without regard to case.
    static final ObjectMapper EVENTS = builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build();
    private static final String EVENTS_PACKAGE = "com.amazonaws.services.lambda.runtime.events.";

    static ObjectMapper forType(Type type) {
        Class<?> raw = MAPPER.getTypeFactory().constructType(type).getRawClass();
        return raw.getName().startsWith(EVENTS_PACKAGE) ? EVENTS : MAPPER;
    }

    private static JsonMapper.Builder builder() {
        return JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS,
                        JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER,
                        JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                .enable(MapperFeature.USE_STD_BEAN_NAMING, MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS)
                .disable(MapperFeature.AUTO_DETECT_CREATORS, MapperFeature.INFER_PROPERTY_MUTATORS,
                        MapperFeature.USE_ANNOTATIONS)
                .enable(DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT,
                        DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                        DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS,
                        DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .serializationInclusion(JsonInclude.Include.NON_NULL);
    }

    private Json() {
    }
}
