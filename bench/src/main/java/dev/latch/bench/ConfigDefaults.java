package dev.latch.bench;

import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A {@code @ConfigMapping} interface answered with its own {@code @WithDefault} values (and the given
 * overrides, by method name), so the benchmarks run Latch's classes with the settings a deployment gets
 * out of the box, without starting Quarkus.
 */
final class ConfigDefaults {

    private ConfigDefaults() {}

    static <T> T of(Class<T> type, Map<String, Object> overrides) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + " defaults";
                    case "hashCode" -> System.identityHashCode(self);
                    default -> self == args[0];
                };
            }
            if (overrides.containsKey(method.getName())) {
                return overrides.get(method.getName());
            }
            WithDefault value = method.getAnnotation(WithDefault.class);
            if (value != null) {
                return convert(value.value(), method);
            }
            if (method.getReturnType() == java.util.Optional.class) {
                return java.util.Optional.empty();
            }
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == type) {
                return of(method.getReturnType(), overrides);
            }
            throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName() + " has no default");
        });
        return type.cast(proxy);
    }

    private static Object convert(String value, Method method) {
        Class<?> t = method.getReturnType();
        if (t == int.class || t == Integer.class) {
            return Integer.parseInt(value);
        } else if (t == long.class || t == Long.class) {
            return Long.parseLong(value);
        } else if (t == boolean.class || t == Boolean.class) {
            return Boolean.parseBoolean(value);
        } else if (t == Duration.class) {
            // the forms Latch's defaults use: 30S, 15M, 1H, 30D
            return Duration.parse(value.toUpperCase().endsWith("D") ? "P" + value : "PT" + value);
        } else if (t == List.class) {
            return Arrays.asList(value.split(","));
        } else if (t == String.class) {
            return value;
        }
        throw new UnsupportedOperationException(method + " returns " + t);
    }
}
