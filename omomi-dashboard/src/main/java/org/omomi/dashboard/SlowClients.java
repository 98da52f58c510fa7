package org.omomi.dashboard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;

/**
 * Closes connections that have not sent a whole first request within {@value #HEADER_MILLIS} ms
 * of opening: a client trickling its headers a byte at a time (slowloris), or one that connects
 * and says nothing. Jetty reads headers without holding a thread, so such clients cost no thread;
 * but each holds a connection and its buffers, and Jetty's idle timeout restarts with every byte.
 * A connection that has sent a request is left to the idle timeout (an event stream between its
 * heartbeats, a keep-alive connection between requests).
 */
final class SlowClients implements Connection.Listener, AutoCloseable {

    /** How long a new connection has to send its first request's headers. */
    static final long HEADER_MILLIS = 5000;

    private final Map<Connection, Boolean> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "omomi-dashboard-slow-clients");
        t.setDaemon(true);
        return t;
    });

    SlowClients() {
        sweeper.scheduleWithFixedDelay(this::sweep, 500, 500, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection c) {
        open.put(c, Boolean.TRUE);
    }

    @Override
    public void onClosed(Connection c) {
        open.remove(c);
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        for (Connection c : open.keySet()) {
            if (c.getMessagesIn() > 0) {
                open.remove(c); // it has sent a request: the idle timeout governs it from now on
            } else if (now - c.getCreatedTimeStamp() > HEADER_MILLIS) {
                open.remove(c);
                c.getEndPoint().close();
            }
        }
    }

    /** Connections not yet past their first request. */
    int waiting() {
        return open.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
