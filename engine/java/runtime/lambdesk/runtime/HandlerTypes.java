package lambdesk.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

// The I and O a class gives RequestHandler<I, O>, found by a breadth-first walk of its
// interfaces and superclasses with their type variables bound on the way, as Lambda's runtime
// finds them. A type variable bounded only by Object is no concrete type: refused.
final class HandlerTypes {
    private HandlerTypes() {
    }

    static Type[] requestHandlerTypes(Class<?> type) {
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        Deque<Type> queue = new ArrayDeque<>();
        queue.add(type);
        while (!queue.isEmpty()) {
            Type next = queue.poll();
            Class<?> raw;
            if (next instanceof ParameterizedType) {
                ParameterizedType parameterized = (ParameterizedType) next;
                raw = (Class<?>) parameterized.getRawType();
                TypeVariable<?>[] variables = raw.getTypeParameters();
                Type[] arguments = parameterized.getActualTypeArguments();
                for (int i = 0; i < variables.length && i < arguments.length; ++i)
                    bindings.put(variables[i], bound(arguments[i], bindings));
                if (raw == RequestHandler.class)
                    return concrete(type, bindings, variables);
            } else if (next instanceof Class) {
                raw = (Class<?>) next;
                if (raw == RequestHandler.class)
                    break; // implemented raw: no types to go by
            } else {
                continue;
            }
            queue.addAll(java.util.Arrays.asList(raw.getGenericInterfaces()));
            if (raw.getGenericSuperclass() != null)
                queue.add(raw.getGenericSuperclass());
        }
        throw new IllegalArgumentException(
                "Class " + type.getName() + " does not implement RequestHandler with concrete type parameters");
    }

    private static Type bound(Type argument, Map<TypeVariable<?>, Type> bindings) {
        Type bound = argument;
        while (bound instanceof TypeVariable && bindings.containsKey(bound))
            bound = bindings.get(bound);
        return bound;
    }

    private static Type[] concrete(Class<?> type, Map<TypeVariable<?>, Type> bindings, TypeVariable<?>[] variables) {
        Type[] out = new Type[variables.length];
        for (int i = 0; i < variables.length; ++i) {
            Type resolved = bindings.get(variables[i]);
            if (resolved instanceof TypeVariable) {
                Type[] bounds = ((TypeVariable<?>) resolved).getBounds();
                if (bounds.length == 0 || bounds[0] == Object.class)
                    throw new IllegalArgumentException("Class " + type.getName()
                            + " does not implement RequestHandler with concrete type parameters: parameter "
                            + ((TypeVariable<?>) resolved).getName() + " has no upper bound.");
                resolved = bounds[0];
            }
            out[i] = resolved;
        }
        return out;
    }
}
