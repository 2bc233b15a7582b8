package io.kubesentry.kubernetes;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** A watch message's object, read by {@link KindFirstDeserializer} instead of fabric8's tree-first one. */
abstract class WatchEventMixIn {

    @JsonDeserialize(using = KindFirstDeserializer.class)
    public abstract void setObject(Object object);
}
