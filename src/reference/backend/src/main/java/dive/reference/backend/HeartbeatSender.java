package dive.reference.backend;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Spoke mode: {@code POST {HUB_API_URL}/api/federation/heartbeat} every HEARTBEAT_INTERVAL_SECONDS with the spoke
 * token. Every failure is logged with the HTTP status (or the connection error); the token never is.
 */
public final class HeartbeatSender implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final String token;
    private final String instanceCode;
    private final int intervalSeconds;
    private final Supplier<Map<String, Object>> services;
    private final Events events;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
    private ScheduledExecutorService scheduler;
    private volatile boolean lastOk = false;
    private volatile boolean everSent = false;

    public HeartbeatSender(String hubApiUrl, String token, String instanceCode, int intervalSeconds,
                           Supplier<Map<String, Object>> services, Events events) {
        this.url = hubApiUrl + "/api/federation/heartbeat";
        this.token = token;
        this.instanceCode = instanceCode;
        this.intervalSeconds = intervalSeconds;
        this.services = services;
        this.events = events;
    }

    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::beatQuietly, Math.min(intervalSeconds, 5), intervalSeconds, TimeUnit.SECONDS);
        events.info("Heartbeats to " + url + " every " + intervalSeconds + " s");
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            events.warn("Heartbeat to hub failed: " + MongoStore.oneLine(e));
        }
    }

    /** One heartbeat; returns the HTTP status, or -1 when the hub could not be reached. */
    public int beat() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instanceCode", instanceCode);
        Map<String, Object> s;
        try {
            s = services.get();
        } catch (RuntimeException e) {
            s = Map.of("backend", "up");
        }
        body.put("services", s);
        int status;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            lastOk = false;
            events.warn("Heartbeat to hub failed: " + url + " unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + MongoStore.oneLine(e)) + ")");
            return -1;
        }
        if (status / 100 == 2) {
            if (!lastOk) {
                events.info(everSent ? "Heartbeat to hub succeeded again (HTTP " + status + ")"
                        : "Heartbeat to hub accepted (HTTP " + status + ")");
            }
            lastOk = true;
        } else {
            lastOk = false;
            events.warn("Heartbeat to hub failed: HTTP " + status + " from " + url
                    + (status == 401 ? " (spoke token unknown or expired - register the spoke again)" : ""));
        }
        everSent = true;
        return status;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
