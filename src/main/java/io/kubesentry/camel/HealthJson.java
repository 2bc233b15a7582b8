package io.kubesentry.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;

/** Health check results as the JSON a probe or a person reads: overall status, then each check with its details. */
final class HealthJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthJson() {
    }

    static String of(boolean up, Collection<HealthCheck.Result> results) {
        List<Map<String, Object>> checks = results.stream().map(HealthJson::check).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health results are plain values", e);
        }
    }

    private static Map<String, Object> check(HealthCheck.Result result) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", result.getCheck().getId());
        check.put("status", result.getState().name());
        result.getMessage().ifPresent(message -> check.put("message", message));
        Map<String, Object> data = new LinkedHashMap<>();
        result.getDetails().forEach((key, value) -> data.put(key, String.valueOf(value)));
        if (!data.isEmpty()) {
            check.put("data", data);
        }
        return check;
    }
}
