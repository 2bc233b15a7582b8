package io.kubesentry.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubesentry.core.MalformedEventException;
import org.junit.jupiter.api.Test;

class PodMapperTest {

    @Test
    void aPodIsReadWithItsContainers() {
        Pod pod = new PodBuilder().withNewMetadata().withName("api-7d9f8b6c5-x2k4q").withNamespace("shop").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("shop/api:1.4").endContainer().endSpec()
                .build();

        assertThat(PodMapper.toPodState(pod).containers()).extracting(c -> c.name()).containsExactly("app");
    }

    @Test
    void anythingElseIsMalformedAndSaysWhatItWas() {
        assertThatExceptionOfType(MalformedEventException.class)
                .isThrownBy(() -> PodMapper.toPodState(new EventBuilder().build()))
                .withMessage("not a Kubernetes Pod: io.fabric8.kubernetes.api.model.Event");
        assertThatExceptionOfType(MalformedEventException.class)
                .isThrownBy(() -> PodMapper.toPodState(null)).withMessage("not a Kubernetes Pod: null");
        assertThatExceptionOfType(MalformedEventException.class)
                .isThrownBy(() -> PodMapper.toPodState(new Pod())).withMessage("pod has no metadata");
    }
}
