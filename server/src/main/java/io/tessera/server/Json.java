package io.tessera.server;

import io.javalin.json.JsonMapper;
import java.lang.reflect.Type;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper.Builder;

/**
 * The server's JSON (Jackson 3): one shared, thread-safe mapper, also installed as Javalin's
 * {@link JsonMapper} so {@code ctx.json(...)} and {@code ctx.bodyAsClass(...)} use it. Instants are
 * written as ISO-8601 strings.
 */
public final class Json implements JsonMapper {
    private final tools.jackson.databind.json.JsonMapper mapper;

    public Json() {
        Builder b = tools.jackson.databind.json.JsonMapper.builder()
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        this.mapper = b.build();
    }

    public tools.jackson.databind.json.JsonMapper mapper() {
        return mapper;
    }

    public byte[] write(Object value) {
        return mapper.writeValueAsBytes(value);
    }

    @Override
    public String toJsonString(Object obj, Type type) {
        return mapper.writeValueAsString(obj);
    }

    @Override
    public <T> T fromJsonString(String json, Type targetType) {
        return mapper.readValue(json, mapper.constructType(targetType));
    }
}
