import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * Test-only MongoDB wire-protocol server (mongo-java-server, in-memory backend).
 *
 * Usage: java -cp <jars> MongoWireServer [port]   (port 0 or absent = any free port)
 *
 * Prints "MONGO_PORT <port>" on stdout once listening, so the parent learns the real port
 * without racing for a pre-picked one. Exits when stdin closes: if the parent dies (even by
 * SIGKILL) its end of the pipe closes and this process does not linger. SIGTERM also stops it.
 */
public final class MongoWireServer {
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        // The Node driver 6.x refuses servers below wire version 8 (MongoDB 4.2); the default
        // version of mongo-java-server reports 3.6, so announce 5.0.
        MongoServer server = new MongoServer(new MemoryBackend().version(ServerVersion.MONGO_5_0));
        server.bind(new InetSocketAddress("127.0.0.1", port));
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mongo-shutdown"));

        System.out.println("MONGO_PORT " + server.getLocalAddress().getPort());
        System.out.flush();

        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // Input is ignored; we only wait for end-of-stream.
        }
        System.exit(0);
    }
}
