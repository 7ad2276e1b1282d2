import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts the rapaio Jupyter kernel exactly as its own {@code MainApp} does, with one fix for a start-up race in
 * rapaio 3.0.1: its channels start polling their sockets before their message-handler map exists, so a
 * {@code kernel_info_request} that arrives in that window kills the shell thread with a NullPointerException and the
 * kernel never answers ("Kernel didn't respond"). Here the channels start with a stand-in map whose lookups wait
 * (up to a minute) until the kernel has installed its real handlers, then answer from those, so an early message
 * is handled late instead of lost. Compiled against the kernel jar by environment/setup.sh.
 */
public final class M3sggKernel {

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: M3sggKernel CONNECTION_FILE");
        }
        try (var log = MainApp.class.getClassLoader().getResourceAsStream("logging.properties")) {
            if (log != null) {
                LogManager.getLogManager().readConfiguration(log);
            }
        }
        ConnectionProperties props = (ConnectionProperties) Transform.fromJson(
                Files.readString(Path.of(args[0])), ConnectionProperties.class);
        Channels channels = new Channels(props);
        Field handlers = Channels.class.getDeclaredField("handlers");
        handlers.setAccessible(true);
        handlers.set(channels, new WaitingHandlers(channels, handlers));
        channels.connect(MainApp.kernel);
        channels.joinUntilClose();
    }

    /** Until {@code connect} replaces it with the real, filled map, lookups wait for that map and read it. */
    private static final class WaitingHandlers extends AbstractMap<Object, Object> {
        private final Channels channels;
        private final Field field;

        WaitingHandlers(Channels channels, Field field) {
            this.channels = channels;
            this.field = field;
        }

        @Override
        public Object get(Object key) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    Object current = field.get(channels);
                    if (current != this && current instanceof Map<?, ?> real) {
                        Object h = real.get(key);
                        if (h != null) {
                            return h;
                        }
                    }
                    Thread.sleep(10);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }

        @Override
        public Set<Entry<Object, Object>> entrySet() {
            return Set.of();
        }
    }
}
