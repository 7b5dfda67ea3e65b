import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;

/**
 * Test-only MongoDB wire-protocol server (mongo-java-server, in-memory backend).
 *
 * Usage: java -cp <jars> MongoWireServer [port]   (port 0 or absent = any free port)
 *
 * Prints "MONGO_PORT <port>" on stdout once listening, so the parent learns the real port
 * without racing for a pre-picked one. Exits when stdin closes: if the parent dies (even by
 * SIGKILL) its end of the pipe closes and this process does not linger. SIGTERM also stops it.
 *
 * A line "restart <ms>" on stdin restarts the server on the same port: every connection is cut,
 * the port refuses connections for <ms>, then it listens again with the data it held, as a
 * mongod with durable storage comes back after a restart. Prints "MONGO_RESTARTED <port>".
 */
public final class MongoWireServer {
    private static MongoServer server;

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        // The Node driver 6.x refuses servers below wire version 8 (MongoDB 4.2); the default
        // version of mongo-java-server reports 3.6, so announce 5.0.
        MongoBackend data = new MemoryBackend().version(ServerVersion.MONGO_5_0);
        // Stopping a MongoServer closes its backend, which drops every database: the servers get
        // a view of the backend whose close() does nothing, so a restart keeps the data.
        MongoBackend backend = (MongoBackend) Proxy.newProxyInstance(
                MongoBackend.class.getClassLoader(),
                new Class<?>[] {MongoBackend.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) return null;
                    try {
                        return method.invoke(data, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        int bound = server.getLocalAddress().getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdownNow(), "mongo-shutdown"));

        System.out.println("MONGO_PORT " + bound);
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] command = line.trim().split("\\s+");
            if (command.length == 2 && command[0].equals("restart")) {
                // shutdownNow stops listening and closes every client; the data stays (see above).
                server.shutdownNow();
                Thread.sleep(Long.parseLong(command[1]));
                server = new MongoServer(backend);
                server.bind(new InetSocketAddress("127.0.0.1", bound));
                System.out.println("MONGO_RESTARTED " + bound);
                System.out.flush();
            }
        }
        System.exit(0);
    }
}
