package dev.latch.e2e.harness;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives every test class the one {@link Stack} of the run (started by the first class that asks, stopped when the
 * run ends, also when tests failed), as a parameter of type {@link Stack}; and names the stack's logs in every
 * failure, so the report says where to look.
 */
public final class SharedStack
        implements ParameterResolver,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler,
                org.junit.jupiter.api.extension.ExecutionCondition {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedStack.class);

    /** Closes the stack at the end of the run; remembers a failed start so later classes fail at once with it. */
    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        private Stack stack;
        private Throwable failure;
        private KeycloakServer keycloak;
        private Throwable keycloakFailure;
        private KeycloakRealm realm;

        @Override
        public void close() throws InterruptedException {
            try {
                if (stack != null) {
                    stack.close();
                }
            } finally {
                if (keycloak != null) {
                    keycloak.close();
                }
            }
        }
    }

    public static Stack stack(ExtensionContext context) {
        Holder holder = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("stack", k -> start(), Holder.class);
        if (holder.failure != null) {
            throw new IllegalStateException(
                    "the shared e2e stack did not start (logs in e2e/target/logs/shared/)", holder.failure);
        }
        return holder.stack;
    }

    private static Holder start() {
        Holder holder = new Holder();
        // Keycloak starts beside the services (it takes longest); the scenarios that need it wait for it
        if (KeycloakServer.enabled()) {
            try {
                holder.keycloak = KeycloakServer.start();
            } catch (Exception e) {
                holder.keycloakFailure = e;
            }
        }
        // a JVM ended from outside (Ctrl-C, the build's timeout) still stops every process it started
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                holder.close();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "e2e-stack-stop"));
        try {
            holder.stack = Stack.start(Stack.Options.shared());
        } catch (Exception e) {
            holder.failure = e;
        }
        return holder;
    }

    /**
     * Keycloak, ready, with its realm, users and client, registered in the broker as provider {@code keycloak};
     * the calling test is skipped with {@code -De2e.keycloak=false}.
     */
    public static synchronized KeycloakRealm keycloak(ExtensionContext context) throws Exception {
        Stack stack = stack(context);
        Holder holder = context.getRoot().getStore(NAMESPACE).get("stack", Holder.class);
        if (holder.keycloakFailure != null) {
            throw new IllegalStateException("Keycloak did not start", holder.keycloakFailure);
        }
        if (holder.realm == null) {
            try {
                holder.keycloak.awaitReady();
                holder.realm = KeycloakRealm.create(holder.keycloak, stack);
            } catch (Exception | Error e) {
                holder.keycloakFailure = e;
                throw e;
            }
        }
        return holder.realm;
    }

    /** A test that takes a {@link KeycloakRealm} is skipped with {@code -De2e.keycloak=false}. */
    @Override
    public org.junit.jupiter.api.extension.ConditionEvaluationResult evaluateExecutionCondition(
            ExtensionContext context) {
        boolean needsKeycloak = context.getTestMethod()
                .map(m -> java.util.Arrays.asList(m.getParameterTypes()).contains(KeycloakRealm.class))
                .orElse(false);
        return needsKeycloak && !KeycloakServer.enabled()
                ? org.junit.jupiter.api.extension.ConditionEvaluationResult.disabled(
                        "the Keycloak scenarios are off (-De2e.keycloak=false)")
                : org.junit.jupiter.api.extension.ConditionEvaluationResult.enabled("");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Stack.class || type == KeycloakRealm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == KeycloakRealm.class) {
            try {
                return keycloak(context);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return stack(context);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw withLogs(context, throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withLogs(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw withLogs(context, throwable);
    }

    private static Throwable withLogs(ExtensionContext context, Throwable throwable) {
        if (throwable instanceof org.opentest4j.TestAbortedException) {
            return throwable;
        }
        Holder holder = context.getRoot().getStore(NAMESPACE).get("stack", Holder.class);
        String where = holder != null && holder.stack != null
                ? holder.stack.toString()
                : "the e2e stack (logs in e2e/target/logs/)";
        AssertionError named = new AssertionError(throwable.getMessage() + "\n  [see " + where + "]", throwable);
        named.setStackTrace(throwable.getStackTrace());
        return named;
    }
}
