package org.m3sgg.report.fakekernel;

import java.util.ArrayList;
import java.util.List;

/**
 * IJava's runtime display API in shape ({@code io.github.spencerpark.ijava.runtime.Display}): static
 * {@code String display(Object)} and {@code void updateDisplay(String, Object)}, rendering through
 * {@link FakeKernel}'s renderer and recording every message.
 */
public final class FakeDisplay {

    private FakeDisplay() {}

    /** One display or update-display message: its id and the rendered data. */
    public record Message(String kind, String id, FakeKernel.DisplayData data) {}

    public static final List<Message> MESSAGES = new ArrayList<>();
    private static int next;

    public static synchronized String display(Object o) {
        String id = "display-" + (++next);
        MESSAGES.add(new Message("display", id, FakeKernel.getKernelInstance().getRenderer().render(o)));
        return id;
    }

    public static synchronized void updateDisplay(String id, Object o) {
        MESSAGES.add(new Message("update", id, FakeKernel.getKernelInstance().getRenderer().render(o)));
    }
}
