package dev.latch.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The environment a service's container gets, as the kubelet would build it from the rendered objects:
 * the ConfigMaps of {@code envFrom}, then {@code env} in order (later entries win). Values from ConfigMaps
 * and literals are known; values from Secrets are references. A reference to a ConfigMap or key that was not
 * rendered fails, as the pod would not start.
 */
record DeploymentEnv(
        String component,
        PodSpec pod,
        Container container,
        Map<String, String> values,
        Map<String, SecretKeySelector> secrets) {

    static DeploymentEnv of(Chart.Rendered r, String component) {
        PodSpec pod = r.deployment(component).getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, SecretKeySelector> secrets = new LinkedHashMap<>();
        for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
            if (from.getConfigMapRef() != null) {
                values.putAll(configMap(r, from.getConfigMapRef().getName(), component)
                        .getData());
            }
            if (from.getSecretRef() != null) {
                throw new AssertionError(component + ": envFrom a whole Secret hides which keys it needs");
            }
        }
        for (EnvVar env : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
            values.remove(env.getName());
            secrets.remove(env.getName());
            if (env.getValueFrom() == null) {
                values.put(env.getName(), Objects.requireNonNullElse(env.getValue(), ""));
            } else if (env.getValueFrom().getConfigMapKeyRef() != null) {
                ConfigMapKeySelector ref = env.getValueFrom().getConfigMapKeyRef();
                String value = configMap(r, ref.getName(), component).getData().get(ref.getKey());
                if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
                    throw new AssertionError(component + ": " + env.getName() + " refers to key " + ref.getKey()
                            + " that ConfigMap " + ref.getName() + " does not have");
                }
                if (value != null) {
                    values.put(env.getName(), value);
                }
            } else if (env.getValueFrom().getSecretKeyRef() != null) {
                secrets.put(env.getName(), env.getValueFrom().getSecretKeyRef());
            }
        }
        return new DeploymentEnv(component, pod, c, values, secrets);
    }

    private static ConfigMap configMap(Chart.Rendered r, String name, String component) {
        return r.all(ConfigMap.class).stream()
                .filter(cm -> cm.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        component + " refers to ConfigMap " + name + ", which the chart does not render"));
    }

    /** Provided for sure: a non-empty known value, or a Secret key that is not optional. */
    boolean provides(String variable) {
        String value = values.get(variable);
        if (value != null) {
            return !value.isEmpty();
        }
        SecretKeySelector ref = secrets.get(variable);
        return ref != null && !Boolean.TRUE.equals(ref.getOptional());
    }
}
