package dive.reference.backend;

import com.nimbusds.jwt.JWTClaimsSet;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** DIVE V3 reference backend: health, resources behind ACP-240 decisions of OPA, audit rows in PostgreSQL. */
public final class BackendApp {
    private static final Logger LOG = LoggerFactory.getLogger("dive.backend");

    private final Config config;
    private final Events events;
    private final MongoStore mongo;
    private final AuditStore audit;
    private final OpaClient opa;
    private final TokenVerifier verifier;
    private final FederationService federation;
    private HeartbeatSender heartbeats;
    private final Instant started = Instant.now();
    private Javalin app;

    BackendApp(Config config, Events events) {
        this.config = config;
        this.events = events;
        this.mongo = new MongoStore(config, events, Retry.Sleeper.REAL);
        DatabaseUrl db = null;
        if (config.databaseUrl() != null) {
            try {
                db = DatabaseUrl.parse(config.databaseUrl());
            } catch (IllegalArgumentException e) {
                events.error("DATABASE_URL is invalid (" + e.getMessage() + ") - PostgreSQL audit persistence disabled");
            }
        }
        this.audit = new AuditStore(db, config.instanceCode(), events);
        this.opa = new OpaClient(config.opaUrl());
        TokenVerifier v = null;
        if (config.keycloakIssuer() != null) {
            try {
                v = new TokenVerifier(config.keycloakIssuer(), config.keycloakJwksUrl(), config.tokenClockSkewSeconds());
            } catch (Exception e) {
                events.error("KEYCLOAK_JWKS_URL is invalid (" + e.getMessage() + ") - every bearer token will be rejected");
            }
        }
        this.verifier = v;
        this.federation = config.hub() ? new FederationService(config, events, mongo::database, Clock.systemUTC()) : null;
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Events events = Events.of(LOG);
        Config config;
        try {
            config = Config.from(System.getenv());
        } catch (IllegalArgumentException e) {
            events.error("Invalid configuration: " + e.getMessage());
            System.exit(1);
            return;
        }
        events.info("Starting DIVE V3 reference backend: " + config);
        config.reportMissingSettings(events);
        config.federation().report(config.hub(), config.spokeToken(), events);
        BackendApp backend = new BackendApp(config, events);
        backend.start();
        backend.startHeartbeats();
        events.info("HTTP server listening on port " + config.port() + " after "
                + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
        Runtime.getRuntime().addShutdownHook(new Thread(backend::stop, "shutdown"));
        Thread pg = new Thread(() -> backend.audit.init(Retry.Sleeper.REAL), "postgres-init");
        pg.setDaemon(true);
        pg.start();
        backend.initMongo();
    }

    /** Connect, create collections/indexes, seed; on the hub publish the trusted issuers. Exits when MongoDB never answers. */
    void initMongo() {
        try {
            mongo.connect();
        } catch (Exception e) {
            events.error("Backend cannot run without MongoDB - exiting");
            System.exit(1);
            return;
        }
        if (mongo.initCollections()) {
            mongo.seedResources();
            if (federation != null) {
                federation.publishTrustedIssuers("hub startup");
            }
        }
    }

    void start() {
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.useVirtualThreads = false;
        });
        app.get("/api/health", this::health);
        app.get("/api/health/live", ctx -> ctx.json(Map.of("status", "alive", "timestamp", Instant.now().toString())));
        app.get("/api/health/ready", ctx -> {
            Map<String, Object> h = healthReport();
            ctx.status("healthy".equals(h.get("status")) ? 200 : 503).json(h);
        });
        app.get("/api/resources", this::listResources);
        app.get("/api/resources/{id}", this::getResource);
        if (federation != null) {
            federation.routes(app);
        }
        app.get("/", ctx -> ctx.json(Map.of("service", "dive-v3-backend", "instance", config.instanceCode(),
                "mode", config.mode())));
        app.exception(Exception.class, (e, ctx) -> {
            events.error("Unhandled error on " + ctx.method() + " " + ctx.path() + ": " + MongoStore.oneLine(e));
            ctx.status(500).json(Map.of("error", "Internal Server Error"));
        });
        app.start(config.port());
    }

    /** Spoke mode with SPOKE_TOKEN and HUB_API_URL: periodic heartbeats to the hub. */
    void startHeartbeats() {
        if (config.hub() || config.spokeToken() == null || config.federation().hubApiUrl() == null) {
            return;
        }
        heartbeats = new HeartbeatSender(config.federation().hubApiUrl(), config.spokeToken(), config.instanceCode(),
                config.federation().heartbeatIntervalSeconds(), this::serviceStates, events);
        heartbeats.start();
    }

    private Map<String, Object> serviceStates() {
        Map<String, Object> h = healthReport();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backend", h.get("status"));
        Object checks = h.get("checks");
        if (checks instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> c) {
                    out.put(String.valueOf(e.getKey()), c.get("status"));
                }
            }
        }
        return out;
    }

    int port() {
        return app.port();
    }

    MongoStore mongo() {
        return mongo;
    }

    void stop() {
        if (heartbeats != null) {
            heartbeats.close();
        }
        if (app != null) {
            app.stop();
        }
        mongo.close();
        audit.close();
    }

    private void health(Context ctx) {
        Map<String, Object> h = healthReport();
        ctx.status("unhealthy".equals(h.get("status")) ? 503 : 200).json(h);
    }

    Map<String, Object> healthReport() {
        MongoStore.Health m = mongo.health();
        OpaClient.Health o = opa.health();
        String pg = audit.check();
        String status;
        if (!"up".equals(m.status())) {
            status = "unhealthy";
        } else if (!"up".equals(o.status()) || !"up".equals(pg)) {
            status = "degraded";
        } else {
            status = "healthy";
        }
        Map<String, Object> mongoCheck = new LinkedHashMap<>();
        mongoCheck.put("status", m.status());
        mongoCheck.put("primary", m.primary());
        mongoCheck.put("writable", m.writable());
        mongoCheck.put("detail", m.detail());
        Map<String, Object> opaCheck = new LinkedHashMap<>();
        opaCheck.put("status", o.status());
        opaCheck.put("detail", o.detail());
        opaCheck.put("policies", o.policies());
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("mongodb", mongoCheck);
        checks.put("opa", opaCheck);
        checks.put("postgres", Map.of("status", pg));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("timestamp", Instant.now().toString());
        out.put("uptime", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        out.put("instance", config.instanceCode());
        out.put("mode", config.mode());
        out.put("checks", checks);
        return out;
    }

    /** The verified subject, or null after answering 401 (and writing the audit row). */
    private Subject authenticate(Context ctx, String requestId, String resourceId) {
        String header = ctx.header("Authorization");
        String reason = null;
        Subject subject = null;
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            reason = "missing bearer token";
        } else if (verifier == null) {
            reason = "token verification not configured (KEYCLOAK_ISSUER)";
        } else {
            try {
                JWTClaimsSet claims = verifier.verify(header.substring(7).trim());
                subject = Subject.fromClaims(claims);
            } catch (Exception e) {
                reason = "invalid token: " + e.getMessage();
            }
        }
        if (subject == null) {
            audit.record(new AuditStore.Row(requestId, null, resourceId, "read", "DENY", reason));
            events.info("DENY " + resourceId + " (request " + requestId + "): " + reason);
            ctx.status(401).json(Map.of("error", "Unauthorized", "reason", reason, "requestId", requestId));
        }
        return subject;
    }

    private static String requestId(Context ctx) {
        String id = ctx.header("X-Request-ID");
        return id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
    }

    private OpaClient.Decision decide(Subject s, Map<String, Object> resource, String requestId) {
        OpaClient.Decision d;
        try {
            d = opa.decide(AuthzInput.build(s, resource, "read", requestId, Instant.now()));
        } catch (Exception e) {
            d = new OpaClient.Decision(false, "authorization service unavailable: " + MongoStore.oneLine(e), false);
        }
        String rid = String.valueOf(resource.get("resourceId"));
        audit.record(new AuditStore.Row(requestId, s.uniqueID(), rid, "read", d.allow() ? "ALLOW" : "DENY", d.reason()));
        events.info((d.allow() ? "ALLOW " : "DENY ") + rid + " for " + s.uniqueID() + " (request " + requestId + "): "
                + d.reason());
        return d;
    }

    private void storeUnavailable(Context ctx, String requestId, Subject s, String resourceId, RuntimeException e) {
        String reason = "resource store unavailable: " + MongoStore.oneLine(e);
        events.error("Reading resources failed (request " + requestId + "): " + MongoStore.oneLine(e));
        audit.record(new AuditStore.Row(requestId, s.uniqueID(), resourceId, "read", "DENY", reason));
        ctx.status(503).json(Map.of("error", "Service Unavailable", "reason", reason, "requestId", requestId));
    }

    private void listResources(Context ctx) {
        String requestId = requestId(ctx);
        Subject s = authenticate(ctx, requestId, "*");
        if (s == null) {
            return;
        }
        List<Map<String, Object>> all;
        try {
            all = mongo.resources();
        } catch (RuntimeException e) {
            storeUnavailable(ctx, requestId, s, "*", e);
            return;
        }
        List<Map<String, Object>> allowed = new ArrayList<>();
        List<Map<String, Object>> denied = new ArrayList<>();
        for (Map<String, Object> r : all) {
            OpaClient.Decision d = decide(s, r, requestId);
            if (d.allow()) {
                allowed.add(r);
            } else {
                Map<String, Object> den = new LinkedHashMap<>();
                den.put("resourceId", r.get("resourceId"));
                den.put("reason", d.reason());
                denied.add(den);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("resources", allowed);
        out.put("count", allowed.size());
        out.put("total", all.size());
        out.put("denied", denied);
        out.put("requestId", requestId);
        ctx.json(out);
    }

    private void getResource(Context ctx) {
        String requestId = requestId(ctx);
        String id = ctx.pathParam("id");
        Subject s = authenticate(ctx, requestId, id);
        if (s == null) {
            return;
        }
        Map<String, Object> r;
        try {
            r = mongo.resource(id);
        } catch (RuntimeException e) {
            storeUnavailable(ctx, requestId, s, id, e);
            return;
        }
        if (r == null) {
            audit.record(new AuditStore.Row(requestId, s.uniqueID(), id, "read", "DENY", "resource not found"));
            ctx.status(404).json(Map.of("error", "Not Found", "reason", "resource not found", "requestId", requestId));
            return;
        }
        OpaClient.Decision d = decide(s, r, requestId);
        if (d.allow()) {
            Map<String, Object> out = new LinkedHashMap<>(r);
            Map<String, Object> decision = new LinkedHashMap<>();
            decision.put("allow", true);
            decision.put("reason", d.reason());
            out.put("authzDecision", decision);
            ctx.json(out);
        } else {
            ctx.status(403).json(Map.of("error", "Forbidden", "reason", d.reason(), "requestId", requestId));
        }
    }
}
