package com.amazonaws.services.lambda.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;

// A function's own serializer for its handler's input and output, found through
// META-INF/services/com.amazonaws.services.lambda.runtime.CustomPojoSerializer in its code.
public interface CustomPojoSerializer {
    <T> T fromJson(InputStream input, Type type);

    <T> T fromJson(String input, Type type);

    <T> void toJson(T value, OutputStream output, Type type);
}
