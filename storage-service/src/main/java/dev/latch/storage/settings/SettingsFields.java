package dev.latch.storage.settings;

import dev.latch.storage.config.StorageConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.persistence.Column;
import jakarta.persistence.Table;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.hibernate.engine.spi.SelfDirtinessTracker;

/**
 * Every storage setting, found by name: a component of {@link SettingsPatch} (its rules) is a setting, and it is
 * the component of the same name in {@link StorageSettings} (its value, and what the API shows), the field of
 * {@link StorageSettingsRow} of that name (its column; a nested setting is prefixed, {@code s3.bucket} is {@code
 * s3Bucket}) and the method of {@link StorageConfig} of that name (its seed value and default; its property, {@code
 * latch.storage.s3.bucket}, pins it). This class copies between them, so a new setting is the records' component, the
 * entity's field and the migration that adds its column.
 * <p>
 * Types convert by what they are, the same for every setting: a number or boolean as it is, an enum by its name, a
 * list of strings as one string per line in its column, an {@code Optional} of configuration as its value or {@code
 * null}, an empty string in the patch as {@code null} (it clears the setting), and a string kept in a {@code bytea}
 * column is a secret, encrypted at rest (its context is the column's name). A setting whose types do not convert, or
 * a component or column that no setting uses, stops the class from loading, so the service does not start.
 */
@RegisterForReflection(
        targets = {
            StorageSettings.class,
            StorageSettings.S3.class,
            SettingsPatch.class,
            SettingsPatch.S3.class,
            StorageSettingsRow.class,
            StorageConfig.class,
            StorageConfig.S3.class
        })
final class SettingsFields {

    /** The component of {@link StorageSettings} that is no setting: what the deployment pins. */
    static final String PINNED = "pinned";

    /** The columns of {@link StorageSettingsRow} that are no setting. */
    static final Set<String> OWN_COLUMNS = Set.of("id", "updatedAt");

    private static final String PROPERTY_PREFIX = "latch.storage.";

    /** How a secret setting is kept at rest; {@code context} names its column. */
    interface Secrets {
        byte[] encrypt(String plaintext, String context);

        /** {@code null} when it does not decrypt. */
        String decrypt(byte[] ciphertext, String context);
    }

    /**
     * One setting: its name in the API ({@code s3.bucket}), its configuration property, where it is in each record,
     * its column, and how each form converts to its value.
     */
    record Setting(
            String name,
            String property,
            List<RecordComponent> valuePath,
            List<RecordComponent> patchPath,
            List<Method> configPath,
            Field column,
            String secretContext,
            Function<Object, Object> fromPatch,
            Function<Object, Object> fromConfig,
            Stored stored) {

        /** A secret is write-only in the API, shown masked in the log, and never stored while the deployment pins it. */
        boolean secret() {
            return secretContext != null;
        }

        Object value(StorageSettings settings) {
            return follow(settings, valuePath);
        }
    }

    /** Every setting, in the order of {@link SettingsPatch}. */
    static final List<Setting> SETTINGS;

    private static final Map<Class<?>, Constructor<?>> CONSTRUCTORS = new LinkedHashMap<>();

    static {
        List<Setting> settings = new ArrayList<>();
        walk(
                SettingsPatch.class,
                StorageSettings.class,
                StorageConfig.class,
                "",
                List.of(),
                List.of(),
                List.of(),
                settings);
        SETTINGS = List.copyOf(settings);
        Set<String> names = SETTINGS.stream().map(Setting::name).collect(Collectors.toSet());
        List<String> values = new ArrayList<>();
        leaves(StorageSettings.class, "", values);
        values.removeAll(names);
        if (!values.isEmpty()) {
            throw new IllegalStateException("StorageSettings has components that SettingsPatch lacks: " + values);
        }
        Set<String> used = SETTINGS.stream().map(s -> s.column().getName()).collect(Collectors.toSet());
        List<String> unused = columns().stream()
                .map(Field::getName)
                .filter(c -> !used.contains(c) && !OWN_COLUMNS.contains(c))
                .toList();
        if (!unused.isEmpty()) {
            throw new IllegalStateException("StorageSettingsRow has fields that no setting uses: " + unused);
        }
    }

    private SettingsFields() {}

    /** The settings configuration gives (the seed of the stored settings, and the value of each pinned one). */
    static StorageSettings fromConfig(StorageConfig config, Map<String, String> pinned) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            Object v = config;
            for (Method m : s.configPath()) {
                v = invoke(m, v);
            }
            values.put(s.name(), s.fromConfig().apply(v));
        }
        return build(values, pinned);
    }

    /** The settings stored in {@code row}. */
    static StorageSettings read(StorageSettingsRow row, Secrets secrets, Map<String, String> pinned) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            try {
                values.put(s.name(), s.stored().read().apply(s.column().get(row), secrets));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return build(values, pinned);
    }

    /** Stores {@code settings} in {@code row}, except the settings {@code skip} names. */
    static void write(StorageSettingsRow row, StorageSettings settings, Secrets secrets, Predicate<Setting> skip) {
        for (Setting s : SETTINGS) {
            if (skip.test(s)) {
                continue;
            }
            try {
                s.column().set(row, s.stored().write().apply(s.value(settings), secrets));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            // the entity's own setters track what changed; a write by reflection says so itself
            if (row instanceof SelfDirtinessTracker tracker) {
                tracker.$$_hibernate_trackChange(s.column().getName());
            }
        }
    }

    /** {@code current} with every setting {@code patch} gives replaced (absent ones are {@code null} there). */
    static StorageSettings apply(SettingsPatch patch, StorageSettings current) {
        Map<String, Object> values = values(current);
        for (Setting s : SETTINGS) {
            Object given = follow(patch, s.patchPath());
            if (given != null) {
                values.put(s.name(), s.fromPatch().apply(given));
            }
        }
        return build(values, current.pinned());
    }

    /** {@code base} with each setting {@code fromOther} names taken from {@code other}. */
    static StorageSettings merge(StorageSettings base, StorageSettings other, Predicate<String> fromOther) {
        Map<String, Object> values = values(base);
        for (Setting s : SETTINGS) {
            if (fromOther.test(s.name())) {
                values.put(s.name(), s.value(other));
            }
        }
        return build(values, base.pinned());
    }

    /** {@code settings} with the settings {@code changes} names (by their API name) replaced. */
    static StorageSettings with(StorageSettings settings, Map<String, Object> changes) {
        Map<String, Object> values = values(settings);
        for (Map.Entry<String, Object> c : changes.entrySet()) {
            if (!values.containsKey(c.getKey())) {
                throw new IllegalArgumentException("no such setting: " + c.getKey());
            }
            values.put(c.getKey(), c.getValue());
        }
        return build(values, settings.pinned());
    }

    private static Map<String, Object> values(StorageSettings settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            values.put(s.name(), s.value(settings));
        }
        return values;
    }

    private static StorageSettings build(Map<String, Object> values, Map<String, String> pinned) {
        return (StorageSettings) construct(StorageSettings.class, "", values, pinned);
    }

    private static Object construct(
            Class<?> type, String prefix, Map<String, Object> values, Map<String, String> pinned) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String name = prefix + c.getName();
            if (prefix.isEmpty() && c.getName().equals(PINNED)) {
                args[i] = pinned;
            } else if (c.getType().isRecord()) {
                args[i] = construct(c.getType(), name + ".", values, pinned);
            } else {
                args[i] = values.get(name);
            }
        }
        try {
            return CONSTRUCTORS.get(type).newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object follow(Object root, List<RecordComponent> path) {
        Object v = root;
        for (RecordComponent c : path) {
            if (v == null) {
                return null;
            }
            v = invoke(c.getAccessor(), v);
        }
        return v;
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- how the settings are found ---

    private static void walk(
            Class<?> patch,
            Class<?> value,
            Class<?> config,
            String prefix,
            List<RecordComponent> patchPath,
            List<RecordComponent> valuePath,
            List<Method> configPath,
            List<Setting> out) {
        constructor(value);
        for (RecordComponent p : patch.getRecordComponents()) {
            String name = prefix + p.getName();
            RecordComponent v = Arrays.stream(value.getRecordComponents())
                    .filter(c -> c.getName().equals(p.getName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "setting " + name + ": " + value.getName() + " has no component " + p.getName()));
            Method c;
            try {
                c = config.getMethod(p.getName());
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(
                        "setting " + name + ": " + config.getName() + " has no method " + p.getName() + "()", e);
            }
            List<RecordComponent> pp = append(patchPath, p);
            List<RecordComponent> vp = append(valuePath, v);
            List<Method> cp = append(configPath, c);
            if (p.getType().isRecord()) {
                if (!v.getType().isRecord() || !c.getReturnType().isInterface()) {
                    throw new IllegalStateException("setting group " + name
                            + ": StorageSettings and StorageConfig must group it as SettingsPatch does");
                }
                walk(p.getType(), v.getType(), c.getReturnType(), name + ".", pp, vp, cp, out);
            } else {
                out.add(setting(name, p, v, c, pp, vp, cp));
            }
        }
    }

    private static Setting setting(
            String name,
            RecordComponent p,
            RecordComponent v,
            Method c,
            List<RecordComponent> patchPath,
            List<RecordComponent> valuePath,
            List<Method> configPath) {
        Type valueType = v.getGenericType();
        Field column = column(name);
        String secretContext = column.getType() == byte[].class ? secretContext(name, column) : null;
        return new Setting(
                name,
                PROPERTY_PREFIX + kebab(name),
                valuePath,
                patchPath,
                configPath,
                column,
                secretContext,
                fromPatch(name, p.getGenericType(), valueType),
                fromConfig(name, c.getGenericReturnType(), valueType),
                stored(name, column.getGenericType(), valueType, secretContext));
    }

    private static Function<Object, Object> fromPatch(String name, Type patch, Type value) {
        if (patch.equals(value) && patch == String.class) {
            return v -> ((String) v).isEmpty() ? null : v;
        }
        if (patch.equals(value) || patch.equals(boxed(value))) {
            return v -> v;
        }
        if (patch == String.class && enumType(value) != null) {
            Class<? extends Enum> e = enumType(value);
            return v -> enumValue(e, (String) v);
        }
        throw incompatible(name, "SettingsPatch", patch, value);
    }

    private static Function<Object, Object> fromConfig(String name, Type config, Type value) {
        if (config.equals(value)) {
            return v -> v;
        }
        if (config instanceof ParameterizedType o
                && o.getRawType() == Optional.class
                && o.getActualTypeArguments()[0].equals(value)) {
            return v -> ((Optional<?>) v)
                    .filter(x -> !(x instanceof String s && s.isBlank()))
                    .orElse(null);
        }
        throw incompatible(name, "StorageConfig", config, value);
    }

    /** How a value is kept in its column: {@code read} from it, {@code write} to it. */
    record Stored(BiFunction<Object, Secrets, Object> read, BiFunction<Object, Secrets, Object> write) {}

    @SuppressWarnings("unchecked")
    private static Stored stored(String name, Type column, Type value, String secretContext) {
        if (column.equals(value)) {
            return new Stored((v, secrets) -> v, (v, secrets) -> v);
        }
        if (column == String.class && enumType(value) != null) {
            Class<? extends Enum> e = enumType(value);
            return new Stored(
                    (v, secrets) -> v == null ? null : enumValue(e, (String) v),
                    (v, secrets) -> v == null ? null : ((Enum<?>) v).name());
        }
        if (column == String.class && isStringList(value)) {
            return new Stored(
                    (v, secrets) -> v == null
                            ? List.of()
                            : Arrays.stream(((String) v).split("\n"))
                                    .map(String::trim)
                                    .filter(t -> !t.isEmpty())
                                    .toList(),
                    (v, secrets) -> String.join("\n", (List<String>) v));
        }
        if (secretContext != null && value == String.class) {
            return new Stored(
                    (v, secrets) -> v == null ? null : secrets.decrypt((byte[]) v, secretContext),
                    (v, secrets) -> v == null ? null : secrets.encrypt((String) v, secretContext));
        }
        throw incompatible(name, "StorageSettingsRow", column, value);
    }

    private static IllegalStateException incompatible(String name, String where, Type from, Type value) {
        return new IllegalStateException("setting " + name + ": " + where + "'s " + from.getTypeName()
                + " does not convert to StorageSettings' " + value.getTypeName());
    }

    private static Field column(String name) {
        String field = camel(name);
        return columns().stream()
                .filter(f -> f.getName().equals(field))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("setting " + name + ": StorageSettingsRow has no field " + field));
    }

    /** The entity's persistent fields (not its constants, nor what Hibernate's enhancement adds). */
    static List<Field> columns() {
        List<Field> columns = new ArrayList<>();
        for (Field f : StorageSettingsRow.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())
                    && !Modifier.isTransient(f.getModifiers())
                    && !f.isSynthetic()
                    && !f.getName().startsWith("$$")) {
                f.setAccessible(true);
                columns.add(f);
            }
        }
        return columns;
    }

    private static String secretContext(String name, Field column) {
        Column c = column.getAnnotation(Column.class);
        if (c == null || c.name().isEmpty()) {
            throw new IllegalStateException("setting " + name + ": a secret's column names itself with @Column");
        }
        return StorageSettingsRow.class.getAnnotation(Table.class).name() + "." + c.name();
    }

    private static void leaves(Class<?> type, String prefix, List<String> out) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (prefix.isEmpty() && c.getName().equals(PINNED)) {
                continue;
            }
            if (c.getType().isRecord()) {
                leaves(c.getType(), prefix + c.getName() + ".", out);
            } else {
                out.add(prefix + c.getName());
            }
        }
    }

    private static void constructor(Class<?> type) {
        Class<?>[] types = Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            CONSTRUCTORS.put(type, type.getDeclaredConstructor(types));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isStringList(Type t) {
        return t instanceof ParameterizedType p
                && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] == String.class;
    }

    @SuppressWarnings("rawtypes")
    private static Class<? extends Enum> enumType(Type t) {
        return t instanceof Class<?> c && c.isEnum() ? c.asSubclass(Enum.class) : null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<? extends Enum> type, String name) {
        return Enum.valueOf(type, name);
    }

    private static Type boxed(Type t) {
        if (t == long.class) {
            return Long.class;
        }
        if (t == int.class) {
            return Integer.class;
        }
        if (t == boolean.class) {
            return Boolean.class;
        }
        return t;
    }

    /** {@code s3.pathStyle} → {@code s3PathStyle}. */
    static String camel(String name) {
        String[] parts = name.split("\\.");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return b.toString();
    }

    /** {@code s3.pathStyle} → {@code s3.path-style}, as {@link io.smallrye.config.ConfigMapping} names properties. */
    static String kebab(String name) {
        StringBuilder b = new StringBuilder();
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('-').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static <T> List<T> append(List<T> list, T element) {
        List<T> out = new ArrayList<>(list);
        out.add(element);
        return List.copyOf(out);
    }
}
