import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another main class and exits the JVM when stdin reaches end-of-stream.
 *
 * Usage: java -cp <jars> ExitOnStdinClose <main.Class> [args...]
 *
 * Used to start Kafka for tests: the parent keeps a pipe to our stdin, so if the parent dies
 * without cleaning up (crash, SIGKILL) the broker shuts down instead of lingering. System.exit
 * runs the broker's own shutdown hook.
 */
public final class ExitOnStdinClose {
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ExitOnStdinClose <main.Class> [args...]");
            System.exit(2);
        }
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                    // Input is ignored; we only wait for end-of-stream.
                }
            } catch (Exception ignored) {
                // A broken stdin means the parent is gone as well.
            }
            System.exit(0);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
