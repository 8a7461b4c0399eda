package lambdesk.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

// Finds the handler _HANDLER names, as Lambda's Java runtime does: "package.Class" implementing
// RequestStreamHandler or RequestHandler<I, O>, or "package.Class::method" with one of the
// signatures it accepts. The class is initialised and its instance made now, at init; a handler
// that cannot be used is reported at each invoke, as on Lambda.
final class HandlerLoader {
    private HandlerLoader() {
    }

    static Handler load(String text, ClassLoader loader) {
        String handler = text == null ? "" : text;
        int split = handler.lastIndexOf("::");
        String className = split < 0 ? handler : handler.substring(0, split);
        String methodName = split < 0 ? null : handler.substring(split + 2);
        if (className.isEmpty() || (methodName != null && methodName.isEmpty()))
            return failing("Invalid handler: `" + handler + "'", null, null, false);

        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            return failing("Class not found: " + className, e.getClass().getName(), e, false);
        } catch (NoClassDefFoundError e) {
            String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
            return failing("Error loading class " + className + detail, e.getClass().getName(), e, true);
        } catch (Throwable e) { // a static initialiser failed: the init fails
            throw new HandlerFault(ErrorDocument.fault("Error loading class " + className, e.getClass().getName(), e,
                    ErrorDocument.BAD_FUNCTION_CODE), true);
        }
        CustomPojoSerializer custom;
        try {
            custom = Payloads.customSerializer(loader);
        } catch (RuntimeException | java.util.ServiceConfigurationError e) {
            return failing(ErrorDocument.messageOf(e), e.getClass().getName(), e, false);
        }
        return methodName == null ? classHandler(type, custom) : methodHandler(type, methodName, custom);
    }

    private static Handler failing(String message, String errorType, Throwable cause, boolean fatal) {
        final HandlerFault fault =
                new HandlerFault(ErrorDocument.fault(message, errorType, cause, ErrorDocument.BAD_FUNCTION_CODE), fatal);
        return (event, context) -> {
            throw fault;
        };
    }

    private static Handler classHandler(Class<?> type, CustomPojoSerializer custom) {
        if (RequestStreamHandler.class.isAssignableFrom(type)) {
            Object made = instance(type);
            if (made instanceof Handler)
                return (Handler) made;
            RequestStreamHandler handler = (RequestStreamHandler) made;
            return (event, context) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
                handler.handleRequest(new ByteArrayInputStream(event), out, context);
                return out.toByteArray();
            };
        }
        if (!RequestHandler.class.isAssignableFrom(type))
            return failing("Class does not implement an appropriate handler interface: " + type.getName(), null, null,
                    false);
        Type[] parameters;
        try {
            parameters = HandlerTypes.requestHandlerTypes(type);
        } catch (IllegalArgumentException e) {
            return failing(e.getMessage(), null, null, false);
        }
        Object made = instance(type);
        if (made instanceof Handler)
            return (Handler) made;
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) made;
        Payloads payloads = new Payloads(parameters[0], parameters[1], custom);
        return (event, context) -> payloads.write(handler.handleRequest(payloads.read(event), context));
    }

    // The public no-argument constructor, called once; a Handler that reports the fault when
    // there is none. A constructor that throws fails the init.
    private static Object instance(Class<?> type) {
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))
            return failing("Class " + type.getName() + " cannot be instantiated because it is a non-static inner class",
                    "java.lang.Exception", null, false);
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            return failing("Class " + type.getName() + " has no public zero-argument constructor", "java.lang.Exception",
                    null, false);
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new HandlerFault(ErrorDocument.fault(ErrorDocument.messageOf(cause), cause.getClass().getName(), cause,
                    ErrorDocument.BAD_FUNCTION_CODE), true);
        } catch (ReflectiveOperationException e) {
            return failing("Class " + type.getName() + " cannot be instantiated: " + ErrorDocument.messageOf(e),
                    e.getClass().getName(), e, false);
        }
    }

    private static Handler methodHandler(Class<?> type, String name, CustomPojoSerializer custom) {
        List<Method> candidates = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name))
                .sorted(Comparator.comparing(Method::isBridge).thenComparing(HandlerLoader::effectiveLength,
                        Comparator.reverseOrder()))
                .collect(Collectors.toList());
        for (Method method : candidates) {
            MethodShape shape = MethodShape.of(method);
            if (shape == null)
                continue;
            Object target = null;
            if (!Modifier.isStatic(method.getModifiers())) {
                target = instance(type);
                if (target instanceof Handler)
                    return (Handler) target;
            }
            try {
                method.setAccessible(true); // a public method of a class that is not public
            } catch (RuntimeException e) {
                // invoke() reports it
            }
            return shape.handler(method, target, custom);
        }
        return failing("No public method named " + name + " with appropriate method signature found on class "
                + type.getName(), null, null, false);
    }

    // Lambda's order among overloads: more parameters first, a trailing Context counting twice.
    private static int effectiveLength(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        int length = parameters.length;
        if (length > 0 && parameters[length - 1].equals(Context.class))
            ++length;
        return length;
    }

    static boolean isStream(Class<?> type) {
        return type.equals(InputStream.class) || type.equals(OutputStream.class) || type.equals(Context.class);
    }
}
