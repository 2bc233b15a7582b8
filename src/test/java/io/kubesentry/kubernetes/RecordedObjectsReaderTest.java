package io.kubesentry.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading recorded objects")
class RecordedObjectsReaderTest {

    private final List<Object> items = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final RecordedObjectsReader.Sink sink = new RecordedObjectsReader.Sink() {
        @Override
        public void item(int index, Object object) {
            items.add(object);
        }

        @Override
        public void skipped(int index, String why) {
            skipped.add(index + ": " + why);
        }
    };

    private void read(String json, RecordedObjectsReader.Pass pass) throws UnreadableRecordingException {
        RecordedObjectsReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "input.json", pass, sink);
    }

    @Test
    @DisplayName("the API server's own lists, whose items carry no kind, are read as their list's kind")
    void apiServerLists() throws Exception {
        read("""
                {"kind":"EventList","apiVersion":"events.k8s.io/v1","items":[{"metadata":{"name":"a"},"reason":"BackOff"}]}
                """, RecordedObjectsReader.Pass.ALL);
        read("""
                {"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"p"}}]}
                """, RecordedObjectsReader.Pass.ALL);

        assertThat(items).hasSize(2);
        assertThat(items.get(0)).isInstanceOf(io.fabric8.kubernetes.api.model.events.v1.Event.class);
        assertThat(items.get(1)).isInstanceOf(Pod.class);
        assertThat(skipped).isEmpty();
    }

    @Test
    @DisplayName("each pass delivers its own kinds; a skipped item is told once, by the pass that delivers it")
    void passes() throws Exception {
        String list = """
                {"apiVersion":"v1","items":[{"kind":"Event","metadata":{"name":"e"}},{"kind":"Pod","metadata":{"name":"p"}},
                {"kind":"Secret"},7],"kind":"List"}
                """;
        read(list, RecordedObjectsReader.Pass.PODS);
        assertThat(items).singleElement().isInstanceOf(Pod.class);
        assertThat(skipped).isEmpty();

        read(list, RecordedObjectsReader.Pass.ALL_BUT_PODS);
        assertThat(items).hasSize(2);
        assertThat(skipped).containsExactly("2: a Secret, not an Event or a Pod", "3: a JSON number, not a Kubernetes object");
    }

    @Test
    @DisplayName("a document that is no such JSON names the input and what was expected")
    void notKubectlJson() {
        assertThatThrownBy(() -> read("[]", RecordedObjectsReader.Pass.ALL)).isInstanceOfSatisfying(UnreadableRecordingException.class, e -> assertThat(e.problem())
                        .isEqualTo(UnreadableRecordingException.Problem.NOT_KUBECTL_JSON))
                .hasMessageStartingWith("input.json holds a JSON array; expected");
        assertThatThrownBy(() -> read("kind: List", RecordedObjectsReader.Pass.ALL)).hasMessageContaining("is not JSON");
    }
}
