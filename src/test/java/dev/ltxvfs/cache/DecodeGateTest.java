package dev.ltxvfs.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class DecodeGateTest {

    @Test
    void decodingWaitsUntilEveryGetSentHasArrived() {
        List<String> ran = new CopyOnWriteArrayList<>();
        DecodeGate gate = new DecodeGate(Runnable::run);
        gate.sent();
        gate.sent();
        gate.execute(() -> ran.add("first"));
        gate.arrived();
        gate.allSent();
        assertThat(ran).isEmpty(); // one GET is still out
        gate.arrived();
        assertThat(ran).containsExactly("first");
        gate.execute(() -> ran.add("later"));
        assertThat(ran).containsExactly("first", "later"); // open from then on
    }

    @Test
    void notBeforeThePassHasSentAll() {
        List<String> ran = new CopyOnWriteArrayList<>();
        DecodeGate gate = new DecodeGate(Runnable::run);
        gate.sent();
        gate.execute(() -> ran.add("a"));
        gate.arrived(); // all in so far, but more GETs are coming
        assertThat(ran).isEmpty();
        gate.allSent();
        assertThat(ran).containsExactly("a");
    }

    @Test
    void openingEarlyMakesRoomAndAShutDownDecoderStillRunsWhatIsHeld() {
        List<String> ran = new CopyOnWriteArrayList<>();
        ExecutorService decoder = Executors.newSingleThreadExecutor();
        decoder.shutdown();
        DecodeGate gate = new DecodeGate(decoder);
        gate.sent();
        gate.execute(() -> ran.add("held"));
        gate.open(); // the pass needs room, or stopped: every claim must settle
        assertThat(ran).containsExactly("held");
    }
}
