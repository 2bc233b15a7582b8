package io.kubesentry.support;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** The registry beans a parsed Camel YAML document names ({@code ref:}, {@code idempotentRepository:}, ...). */
public final class BeanRefs {

    /** Where the YAML DSL names a bean of the registry. */
    public static final Set<String> BEAN_KEYS = Set.of("ref", "idempotentRepository", "aggregationStrategy",
            "aggregationRepository",
            "executorService");

    private BeanRefs() {
    }

    public static void collect(Object node, Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if (BEAN_KEYS.contains(String.valueOf(key)) && value instanceof String bean) {
                    names.add(bean);
                } else {
                    collect(value, names);
                }
            });
        } else if (node instanceof Collection<?> list) {
            list.forEach(item -> collect(item, names));
        }
    }
}
