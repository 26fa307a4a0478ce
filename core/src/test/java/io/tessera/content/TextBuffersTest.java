package io.tessera.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextBuffersTest {

    final TextBuffers buffers = new TextBuffers();

    @Test
    void aBuilderGivenBackIsTakenAgainEmptyWithTheRoomAskedFor() {
        StringBuilder first = buffers.take(16);
        first.append("left over");
        buffers.give(first);
        StringBuilder again = buffers.take(1000);
        assertThat(again).isSameAs(first).isEmpty();
        assertThat(again.capacity()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aNestedTakeOnTheSameThreadGetsItsOwnBuilder() {
        StringBuilder outer = buffers.take(16);
        StringBuilder inner = buffers.take(16);
        assertThat(inner).isNotSameAs(outer);
        outer.append("outer");
        inner.append("inner");
        assertThat(outer.toString()).isEqualTo("outer");
    }

    @Test
    void anotherThreadNeverGetsThisThreadsBuilder() throws Exception {
        StringBuilder mine = buffers.take(16);
        buffers.give(mine);
        StringBuilder[] theirs = new StringBuilder[1];
        Thread t = Thread.ofPlatform().start(() -> theirs[0] = buffers.take(16));
        t.join();
        assertThat(theirs[0]).isNotSameAs(mine);
    }

    @Test
    void aVirtualThreadKeepsNoBuilder() throws Exception {
        StringBuilder[] taken = new StringBuilder[2];
        Thread.ofVirtual().start(() -> {
            taken[0] = buffers.take(16);
            buffers.give(taken[0]);
            taken[1] = buffers.take(16);
        }).join();
        assertThat(taken[1]).isNotSameAs(taken[0]);
    }

    @Test
    void aBuilderGrownPastTheLimitIsNotKept() {
        StringBuilder big = buffers.take(TextBuffers.KEEP_AT_MOST + 1);
        buffers.give(big);
        assertThat(buffers.take(16)).isNotSameAs(big);
    }

    @Test
    void buildersAreUtf16FromTheStartAndMakeTheSameStrings() {
        StringBuilder b = buffers.take(4);
        b.append("plain ascii");
        assertThat(b.toString()).isEqualTo("plain ascii");
        b.setLength(0);
        assertThat(b.append("€ ★").toString()).isEqualTo("€ ★");
    }
}
