package dev.latch.storage.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.storage.config.StorageConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A setting is a component of {@link SettingsPatch} and of {@link StorageSettings}, a field of {@link
 * StorageSettingsRow} and a method of {@link StorageConfig}, all of one name; {@link SettingsFields} copies between
 * them. These checks find each setting from the records themselves (none is named here), so a setting that lacks one
 * of its pieces, or one that a copy forgets, fails the build.
 */
class SettingsFieldsTest {

    private static final Map<String, String> PINNED =
            Map.of("s3.bucket", "environment variable LATCH_STORAGE_S3_BUCKET");

    /** A reversible stand-in for the at-rest encryption. */
    private static final SettingsFields.Secrets SECRETS = new SettingsFields.Secrets() {
        @Override
        public byte[] encrypt(String plaintext, String context) {
            return (context + ":" + plaintext).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decrypt(byte[] ciphertext, String context) {
            String s = new String(ciphertext, StandardCharsets.UTF_8);
            assertTrue(s.startsWith(context + ":"), "decrypted with the context it was encrypted with");
            return s.substring(context.length() + 1);
        }
    };

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyComponentOfThePatchHasAValueAColumnAndAConfigurationMethodOfItsName() throws Exception {
        List<String> patch = new ArrayList<>();
        leaves(SettingsPatch.class, "", patch);
        List<String> value = new ArrayList<>();
        leaves(StorageSettings.class, "", value);
        value.remove(SettingsFields.PINNED);
        assertEquals(patch, value, "StorageSettings has the components of SettingsPatch, in its order, and pinned");
        assertEquals(
                patch,
                SettingsFields.SETTINGS.stream()
                        .map(SettingsFields.Setting::name)
                        .toList(),
                "every component of SettingsPatch is a setting");
        Set<String> columns = new TreeSet<>();
        for (Field f : StorageSettingsRow.class.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())
                    && !SettingsFields.OWN_COLUMNS.contains(f.getName())) {
                columns.add(f.getName());
            }
        }
        assertEquals(
                new TreeSet<>(patch.stream().map(SettingsFields::camel).toList()),
                columns,
                "StorageSettingsRow has a field for each setting, and no other but " + SettingsFields.OWN_COLUMNS);
        for (String name : patch) {
            Class<?> config = StorageConfig.class;
            String[] parts = name.split("\\.");
            for (String part : parts) {
                config = config.getMethod(part).getReturnType();
            }
            assertEquals(
                    "latch.storage." + SettingsFields.kebab(name),
                    setting(name).property(),
                    name + " is pinned by the property its StorageConfig method reads");
        }
    }

    @Test
    void everySettingIsCopiedBetweenTheEntityAndTheValue() {
        StorageSettings base = sample(0);
        StorageSettings other = sample(1);
        StorageSettingsRow row = new StorageSettingsRow();
        SettingsFields.write(row, base, SECRETS, s -> false);
        assertEquals(base, SettingsFields.read(row, SECRETS, PINNED));
        SettingsFields.write(row, other, SECRETS, s -> false);
        assertEquals(other, SettingsFields.read(row, SECRETS, PINNED), "every column was written again");
        assertEquals(
                "storage_settings.s3_secret_access_key:secret-1",
                new String(row.s3SecretAccessKey, StandardCharsets.UTF_8),
                "a secret is encrypted with its column as the context");

        StorageSettingsRow kept = new StorageSettingsRow();
        SettingsFields.write(kept, base, SECRETS, s -> false);
        SettingsFields.write(kept, other, SECRETS, SettingsFields.Setting::secret);
        StorageSettings read = SettingsFields.read(kept, SECRETS, PINNED);
        assertEquals(base.s3().secretAccessKey(), read.s3().secretAccessKey(), "a skipped setting keeps its column");
    }

    @Test
    void aPatchGivingEverySettingChangesEverySettingAndAnEmptyPatchNone() throws Exception {
        StorageSettings base = sample(0);
        StorageSettings other = sample(1);
        for (SettingsFields.Setting s : SettingsFields.SETTINGS) {
            assertNotEquals(s.value(base), s.value(other), s.name() + ": the samples differ");
        }
        SettingsPatch all = new SettingsPatch.StrictReader()
                .apply(json, SettingsPatch.class)
                .readValue(json.writeValueAsString(body(other)));
        assertEquals(other, SettingsFields.apply(all, base));
        SettingsPatch none = new SettingsPatch.StrictReader()
                .apply(json, SettingsPatch.class)
                .readValue("{}");
        assertEquals(base, SettingsFields.apply(none, base));
    }

    @Test
    void theConfigurationGivesEverySetting() {
        StorageSettings expected = sample(1);
        assertEquals(expected, SettingsFields.fromConfig(config(StorageConfig.class, "", expected), PINNED));
    }

    @Test
    void mergeTakesTheNamedSettingsFromTheOtherSettings() {
        StorageSettings base = sample(0);
        StorageSettings other = sample(1);
        for (SettingsFields.Setting s : SettingsFields.SETTINGS) {
            StorageSettings merged = SettingsFields.merge(base, other, s.name()::equals);
            for (SettingsFields.Setting t : SettingsFields.SETTINGS) {
                assertEquals(
                        t == s ? t.value(other) : t.value(base), t.value(merged), s.name() + " merged: " + t.name());
            }
        }
    }

    @Test
    void theViewShowsEverySettingAndOfASecretOnlyWhetherItIsSet() throws Exception {
        Map<String, Object> shown = json.readValue(json.writeValueAsString(sample(1)), new TypeReference<>() {});
        Set<String> expected = new LinkedHashSet<>();
        for (SettingsFields.Setting s : SettingsFields.SETTINGS) {
            expected.add(s.secret() ? s.name() + "Set" : s.name());
        }
        expected.add(SettingsFields.PINNED);
        assertEquals(List.copyOf(expected), flatten(shown, ""), "what GET shows, in this order");
        assertEquals(PINNED, shown.get(SettingsFields.PINNED));
        @SuppressWarnings("unchecked")
        Map<String, Object> s3 = (Map<String, Object>) shown.get("s3");
        assertEquals(true, s3.get("secretAccessKeySet"));
    }

    // --- samples, found from the settings' types ---

    /** Settings whose every value differs from those of another {@code n}. */
    private static StorageSettings sample(int n) {
        Map<String, Object> changes = new LinkedHashMap<>();
        for (SettingsFields.Setting s : SettingsFields.SETTINGS) {
            changes.put(s.name(), sampleValue(s, n));
        }
        return SettingsFields.with(SettingsFields.fromConfig(config(StorageConfig.class, "", null), PINNED), changes);
    }

    private static Object sampleValue(SettingsFields.Setting s, int n) {
        RecordComponent c = s.valuePath().get(s.valuePath().size() - 1);
        Class<?> type = c.getType();
        if (type.isEnum()) {
            return type.getEnumConstants()[n];
        }
        if (type == long.class) {
            return 1000L + n;
        }
        if (type == int.class) {
            return 100 + n;
        }
        if (type == boolean.class) {
            return n == 1;
        }
        if (type == String.class) {
            return (s.secret() ? "secret" : c.getName().toLowerCase()) + "-" + n;
        }
        if (type == List.class) {
            return List.of("type/" + n, "other/" + n);
        }
        throw new AssertionError(s.name() + ": no sample for " + c.getGenericType());
    }

    /** The PUT body that gives every setting of {@code settings}. */
    private static Map<String, Object> body(StorageSettings settings) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (SettingsFields.Setting s : SettingsFields.SETTINGS) {
            Map<String, Object> level = body;
            String[] parts = s.name().split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next =
                        (Map<String, Object>) level.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
                level = next;
            }
            Object v = s.value(settings);
            level.put(parts[parts.length - 1], v instanceof Enum<?> e ? e.name() : v);
        }
        return body;
    }

    /**
     * A configuration that gives each setting of {@code settings} (or, for {@code null}, some value of each); the
     * methods that are no setting are never called.
     */
    private static <T> T config(Class<T> type, String prefix, StorageSettings settings) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("toString") ? type.getSimpleName() : null;
            }
            String name = prefix + m.getName();
            if (m.getReturnType().isInterface() && m.getReturnType() != List.class) {
                return config(m.getReturnType(), name + ".", settings);
            }
            SettingsFields.Setting s = setting(name);
            Object v = settings == null ? sampleValue(s, 0) : s.value(settings);
            return optional(m) ? Optional.ofNullable(v) : v;
        });
        return type.cast(proxy);
    }

    private static boolean optional(Method m) {
        Type t = m.getGenericReturnType();
        return t instanceof ParameterizedType p && p.getRawType() == Optional.class;
    }

    private static SettingsFields.Setting setting(String name) {
        return SettingsFields.SETTINGS.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no setting " + name));
    }

    private static void leaves(Class<?> record, String prefix, List<String> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getType().isRecord()) {
                leaves(c.getType(), prefix + c.getName() + ".", out);
            } else {
                out.add(prefix + c.getName());
            }
        }
    }

    private static List<String> flatten(Map<String, Object> map, String prefix) {
        List<String> names = new ArrayList<>();
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && !k.equals(SettingsFields.PINNED)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) m;
                names.addAll(flatten(nested, prefix + k + "."));
            } else {
                names.add(prefix + k);
            }
        });
        return names;
    }
}
