package lambdesk.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

// The parameters of a "Class::method" handler, in the shapes Lambda's Java runtime accepts:
// (InputStream, OutputStream[, Context]), (InputStream|OutputStream[, Context]), (X[, Context]),
// (Context) and (). An overload of any other shape is passed over with a note on stderr.
final class MethodShape {
    private enum Argument { INPUT_STREAM, OUTPUT_STREAM, CONTEXT, EVENT }

    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
    private final Argument[] arguments;

    private MethodShape(Argument... arguments) {
        this.arguments = arguments;
    }

    static MethodShape of(Method method) {
        Class<?>[] p = method.getParameterTypes();
        switch (p.length) {
        case 0:
            return new MethodShape();
        case 1:
            return new MethodShape(kind(p[0]));
        case 2:
            if (p[0].equals(Context.class))
                return ignore("Ignoring two-argument overload because first argument type is Context");
            if (p[0].equals(InputStream.class) && p[1].equals(OutputStream.class))
                return new MethodShape(Argument.INPUT_STREAM, Argument.OUTPUT_STREAM);
            if (p[0].equals(InputStream.class) && !p[1].equals(Context.class))
                return ignore("Ignoring two-argument overload because second parameter type, " + p[1].getName()
                        + ", is not OutputStream.");
            if (p[0].equals(OutputStream.class) && !p[1].equals(Context.class))
                return ignore("Ignoring two-argument overload because first argument type is OutputStream and second "
                        + "argument type is not Context");
            if (!p[1].equals(Context.class))
                return ignore("Ignoring two-argument overload because second parameter type is not Context");
            return new MethodShape(kind(p[0]), Argument.CONTEXT);
        case 3:
            if (p[0].equals(InputStream.class) && p[1].equals(OutputStream.class) && p[2].equals(Context.class))
                return new MethodShape(Argument.INPUT_STREAM, Argument.OUTPUT_STREAM, Argument.CONTEXT);
            return ignore("Ignoring three-argument overload because argument signature is not (InputStream, "
                    + "OutputStream, Context)");
        default:
            return ignore("Ignoring an overload of method " + method.getName()
                    + " because it has too many parameters: Expected at most 3, got " + p.length);
        }
    }

    private static Argument kind(Class<?> type) {
        if (type.equals(InputStream.class))
            return Argument.INPUT_STREAM;
        if (type.equals(OutputStream.class))
            return Argument.OUTPUT_STREAM;
        if (type.equals(Context.class))
            return Argument.CONTEXT;
        return Argument.EVENT;
    }

    private static MethodShape ignore(String why) {
        System.err.println(why);
        return null;
    }

    private boolean takes(Argument kind) {
        for (Argument argument : arguments)
            if (argument == kind)
                return true;
        return false;
    }

    Handler handler(Method method, Object target, CustomPojoSerializer custom) {
        final boolean writesOutput = takes(Argument.OUTPUT_STREAM);
        final boolean streams = writesOutput || takes(Argument.INPUT_STREAM);
        if (streams && !method.getReturnType().equals(void.class))
            System.err.println("Will ignore return type " + method.getGenericReturnType().getTypeName()
                    + " on byte stream handler");
        Type eventType = Object.class;
        for (int i = 0; i < arguments.length; ++i)
            if (arguments[i] == Argument.EVENT)
                eventType = method.getGenericParameterTypes()[i];
        final Payloads payloads = new Payloads(eventType, method.getGenericReturnType(), custom);
        return (event, context) -> {
            ByteArrayOutputStream out = writesOutput ? new ByteArrayOutputStream(1024) : null;
            Object[] values = new Object[arguments.length];
            for (int i = 0; i < arguments.length; ++i) {
                switch (arguments[i]) {
                case INPUT_STREAM: values[i] = new ByteArrayInputStream(event); break;
                case OUTPUT_STREAM: values[i] = out; break;
                case CONTEXT: values[i] = context; break;
                default: values[i] = payloads.read(event); break;
                }
            }
            Object result;
            try {
                result = method.invoke(target, values);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (out != null)
                return out.toByteArray();
            return streams ? NULL : payloads.write(result);
        };
    }
}
