package dive.reference.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The hub's federation API: spoke registration, approval (spoke token, hub-side IdP brokering, trusted issuer, KAS,
 * OPAL client token), status, heartbeats, the list of spokes and the trusted issuers (published to OPA and OPAL). No token, secret or password is ever logged or
 * stored in clear: spoke tokens are kept as SHA-256 hashes, OPAL tokens and client secrets not at all.
 */
public final class FederationService {
    public static final String SPOKES = "federation_spokes";
    public static final String TOKENS = "federation_tokens";
    public static final String STATUS_PENDING = "pending";
    public static final String STATUS_APPROVED = "approved";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final List<String> DEFAULT_SCOPES = List.of("policy:base", "heartbeat:write");

    private final Config config;
    private final FederationConfig fed;
    private final Events events;
    private final Supplier<MongoDatabase> db;
    private final KeycloakAdmin keycloak;
    private final OpalTokenClient opal;
    private final TrustedIssuersPublisher publisher;
    private final Clock clock;

    public FederationService(Config config, Events events, Supplier<MongoDatabase> db, Clock clock) {
        this(config, events, db, clock, Retry.Sleeper.REAL);
    }

    FederationService(Config config, Events events, Supplier<MongoDatabase> db, Clock clock, Retry.Sleeper sleeper) {
        this.config = config;
        this.fed = config.federation();
        this.events = events;
        this.db = db;
        this.clock = clock;
        this.keycloak = new KeycloakAdmin(fed.keycloakAdminUrl(), fed.keycloakAdminRealm(), fed.keycloakAdminUser(),
                fed.keycloakAdminPassword());
        this.opal = new OpalTokenClient(fed.opalServerUrl(), config.opalAuthMasterToken());
        this.publisher = new TrustedIssuersPublisher(config.opaUrl(), fed.opalServerUrl(), config.opalAuthMasterToken(),
                fed.trustedIssuersUrl(), events, sleeper);
    }

    public void routes(Javalin app) {
        app.post("/api/federation/register", this::register);
        app.post("/api/federation/spokes/{spokeId}/approve", this::approve);
        app.get("/api/federation/registration/{id}/status", this::status);
        app.post("/api/federation/heartbeat", this::heartbeat);
        app.get("/api/federation/spokes", this::spokes);
        app.get("/api/federation/trusted-issuers", this::trustedIssuersRoute);
    }

    // ------------------------------------------------------------------ trusted issuers

    /**
     * The issuers the policy trusts: the hub's own {@code KEYCLOAK_ISSUER} first, then the issuer of each approved
     * spoke (entries of {@code trusted_issuers} that are enabled and whose tenant is an approved spoke), in the order
     * they were added.
     */
    List<String> trustedIssuers(MongoDatabase d) {
        Set<String> out = new LinkedHashSet<>();
        if (config.keycloakIssuer() != null) {
            out.add(config.keycloakIssuer());
        }
        Set<String> approved = new HashSet<>();
        for (Document s : d.getCollection(SPOKES).find(Filters.eq("status", STATUS_APPROVED))) {
            approved.add(s.getString("instanceCode"));
        }
        for (Document i : d.getCollection("trusted_issuers").find(Filters.eq("enabled", true))
                .sort(Sorts.ascending("addedAt", "issuerUrl"))) {
            String url = i.getString("issuerUrl");
            if (url != null && approved.contains(i.getString("tenant"))) {
                out.add(url);
            }
        }
        return new ArrayList<>(out);
    }

    private void trustedIssuersRoute(Context ctx) {
        MongoDatabase d = database(ctx);
        if (d == null) {
            return;
        }
        try {
            ctx.json(trustedIssuers(d));
        } catch (MongoException e) {
            mongoUnavailable(ctx, "reading trusted_issuers", e);
        }
    }

    /**
     * Puts the current list into the hub's OPA and announces it to OPAL. Called after MongoDB init and after each
     * approval; never throws. Serialised, and the list is read inside, so the last publication is the newest list.
     */
    public synchronized void publishTrustedIssuers(String reason) {
        MongoDatabase d = db.get();
        List<String> issuers;
        try {
            if (d == null) {
                throw new IllegalStateException("MongoDB not connected");
            }
            issuers = trustedIssuers(d);
        } catch (RuntimeException e) {
            events.warn("Trusted issuers not published (" + reason + "): cannot read them: " + MongoStore.oneLine(e));
            return;
        }
        try {
            publisher.publish(issuers, reason);
        } catch (RuntimeException e) {
            events.warn("Trusted issuers not published (" + reason + "): " + MongoStore.oneLine(e));
        }
    }

    // ------------------------------------------------------------------ registration

    /** A validated registration request. */
    record Registration(String instanceCode, String name, String baseUrl, String apiUrl, String idpUrl,
                        List<String> requestedScopes, String contactEmail, String idpIssuer, String idpInternalUrl,
                        String kasUrl, String clientSecret) {

        String lower() {
            return instanceCode.toLowerCase(Locale.ROOT);
        }

        String realm() {
            return "dive-v3-broker-" + lower();
        }
    }

    record FieldError(String field, String message) {}

    static List<FieldError> validate(JsonNode body, String hubCode) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode code = body.get("instanceCode");
        if (code == null || code.isNull()) {
            errors.add(new FieldError("instanceCode", "instanceCode is required"));
        } else if (!code.isTextual() || !CODE.matcher(code.asText()).matches()) {
            errors.add(new FieldError("instanceCode", "instanceCode must be three upper-case letters (ISO 3166 alpha-3)"));
        } else if (code.asText().equals(hubCode)) {
            errors.add(new FieldError("instanceCode", "instanceCode " + hubCode + " is the hub itself"));
        }
        JsonNode name = body.get("name");
        if (name == null || name.isNull() || (name.isTextual() && name.asText().isBlank())) {
            errors.add(new FieldError("name", "name is required"));
        } else if (!name.isTextual()) {
            errors.add(new FieldError("name", "name must be a string"));
        }
        for (String f : List.of("baseUrl", "apiUrl", "idpUrl")) {
            urlField(body, f, true, errors);
        }
        for (String f : List.of("idpIssuer", "idpInternalUrl", "kasUrl")) {
            urlField(body, f, false, errors);
        }
        JsonNode scopes = body.get("requestedScopes");
        if (scopes == null || scopes.isNull()) {
            errors.add(new FieldError("requestedScopes", "requestedScopes is required (an array of strings)"));
        } else if (!scopes.isArray()) {
            errors.add(new FieldError("requestedScopes", "requestedScopes must be an array of strings"));
        } else {
            for (JsonNode s : scopes) {
                if (!s.isTextual() || s.asText().isBlank()) {
                    errors.add(new FieldError("requestedScopes", "requestedScopes must hold non-empty strings only"));
                    break;
                }
            }
        }
        JsonNode email = body.get("contactEmail");
        if (email == null || email.isNull()) {
            errors.add(new FieldError("contactEmail", "contactEmail is required"));
        } else if (!email.isTextual() || !EMAIL.matcher(email.asText().trim()).matches()) {
            errors.add(new FieldError("contactEmail", "contactEmail must be an e-mail address"));
        }
        JsonNode secret = body.get("clientSecret");
        if (secret != null && !secret.isNull() && !secret.isTextual()) {
            errors.add(new FieldError("clientSecret", "clientSecret must be a string"));
        }
        return errors;
    }

    private static void urlField(JsonNode body, String field, boolean required, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                errors.add(new FieldError(field, field + " is required"));
            }
            return;
        }
        if (!v.isTextual() || !isHttpUrl(v.asText().trim())) {
            errors.add(new FieldError(field, field + " must be an http(s) URL"));
        }
    }

    static boolean isHttpUrl(String s) {
        try {
            URI u = new URI(s);
            String scheme = u.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && u.getHost() != null && !u.getHost().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    static Registration parse(JsonNode body) {
        String code = body.get("instanceCode").asText();
        String lower = code.toLowerCase(Locale.ROOT);
        String realm = "dive-v3-broker-" + lower;
        String idpUrl = FederationConfig.trimSlash(body.get("idpUrl").asText().trim());
        String issuer = text(body, "idpIssuer");
        if (issuer == null) {
            issuer = realmUrl(idpUrl, realm);
        }
        issuer = FederationConfig.trimSlash(issuer);
        String internal = text(body, "idpInternalUrl");
        internal = internal == null ? issuer : realmUrl(FederationConfig.trimSlash(internal), realm);
        List<String> scopes = new ArrayList<>();
        body.get("requestedScopes").forEach(s -> scopes.add(s.asText().trim()));
        String secret = body.hasNonNull("clientSecret") && !body.get("clientSecret").asText().isEmpty()
                ? body.get("clientSecret").asText() : null;
        return new Registration(code, body.get("name").asText().trim(), text(body, "baseUrl"), text(body, "apiUrl"),
                idpUrl, scopes.isEmpty() ? DEFAULT_SCOPES : List.copyOf(scopes), body.get("contactEmail").asText().trim(),
                issuer, internal, FederationConfig.trimSlash(text(body, "kasUrl")), secret);
    }

    /** A Keycloak base URL becomes the realm's URL; a URL that already names a realm is kept. */
    static String realmUrl(String url, String realm) {
        return url.contains("/realms/") ? url : url + "/realms/" + realm;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private void register(Context ctx) {
        JsonNode body = readBody(ctx);
        if (body == null) {
            return;
        }
        List<FieldError> errors = validate(body, config.instanceCode());
        if (!errors.isEmpty()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("error", "Invalid registration: " + errors.get(0).message());
            out.put("details", errors);
            ctx.status(400).json(out);
            return;
        }
        Registration r = parse(body);
        MongoDatabase d = database(ctx);
        if (d == null) {
            return;
        }
        try {
            Document existing = d.getCollection(SPOKES).find(Filters.eq("instanceCode", r.instanceCode())).first();
            if (existing != null) {
                conflict(ctx, existing.getString("spokeId"));
                return;
            }
        } catch (MongoException e) {
            mongoUnavailable(ctx, "reading federation_spokes", e);
            return;
        }
        String spokeId = "spoke-" + r.lower() + "-" + HexFormat.of().formatHex(randomBytes(4));
        Instant now = clock.instant();
        Document spoke = new Document("spokeId", spokeId)
                .append("instanceCode", r.instanceCode())
                .append("name", r.name())
                .append("baseUrl", r.baseUrl())
                .append("apiUrl", r.apiUrl())
                .append("idpUrl", r.idpUrl())
                .append("idpIssuer", r.idpIssuer())
                .append("idpInternalUrl", r.idpInternalUrl())
                .append("kasUrl", r.kasUrl())
                .append("requestedScopes", r.requestedScopes())
                .append("contactEmail", r.contactEmail())
                .append("status", STATUS_PENDING)
                .append("registeredAt", Date.from(now))
                .append("approvedAt", null)
                .append("tokenExpiresAt", null)
                .append("lastHeartbeat", null)
                .append("heartbeatCount", 0)
                .append("idpAlias", null)
                .append("bidirectional", false);
        if (!fed.autoApprove()) {
            try {
                d.getCollection(SPOKES).insertOne(spoke);
            } catch (MongoException e) {
                if (isDuplicate(e)) {
                    conflictAfterRace(ctx, d, r.instanceCode(), spokeId);
                } else {
                    mongoUnavailable(ctx, "spoke registration", e);
                }
                return;
            }
            events.info("Spoke " + r.instanceCode() + " registered as " + spokeId + " (pending approval)");
            ctx.status(201).json(Map.of("spoke", spokeSummary(spoke)));
            return;
        }
        Approval a;
        try {
            a = approveExternally(r, spokeId);
        } catch (DependencyException e) {
            dependencyFailed(ctx, r.instanceCode(), spokeId, e);
            return;
        }
        applyApproval(spoke, a);
        try {
            d.getCollection(SPOKES).insertOne(spoke);
        } catch (MongoException e) {
            if (isDuplicate(e)) {
                conflictAfterRace(ctx, d, r.instanceCode(), spokeId);
            } else {
                mongoUnavailable(ctx, "spoke registration", e);
            }
            return;
        }
        try {
            persistApproval(d, r, spokeId, a, false);
        } catch (MongoException e) {
            rollback(d, spokeId);
            mongoUnavailable(ctx, "spoke approval", e);
            return;
        }
        events.info("Spoke " + r.instanceCode() + " registered as " + spokeId + " and approved (IdP " + a.idpAlias()
                + " in realm " + fed.hubRealm() + ", token valid until " + a.expiresAt() + ")");
        publishTrustedIssuers("spoke " + r.instanceCode() + " approved");
        ctx.status(201).json(approvalBody(spoke, a));
    }

    // ------------------------------------------------------------------ approval

    record Approval(String token, String tokenHash, Instant approvedAt, Instant expiresAt, List<String> scopes,
                    OpalTokenClient.Token opalToken, String idpAlias) {}

    /** The calls to other services, made before anything is stored: OPAL first (no side effect), then Keycloak. */
    private Approval approveExternally(Registration r, String spokeId) throws DependencyException {
        OpalTokenClient.Token opalToken = opal.clientToken();
        String alias = r.lower() + "-idp";
        keycloak.ensureIdentityProvider(fed.hubRealm(), new KeycloakAdmin.IdpSpec(alias,
                "DIVE V3 " + r.name() + " (" + r.instanceCode() + ")", r.idpIssuer(), r.idpInternalUrl(), r.realm(),
                r.clientSecret()));
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // what MongoDB keeps
        return new Approval(token, sha256(token), now, now.plusSeconds(fed.spokeTokenTtlSeconds()), r.requestedScopes(),
                opalToken, alias);
    }

    private static void applyApproval(Document spoke, Approval a) {
        spoke.append("status", STATUS_APPROVED)
                .append("approvedAt", Date.from(a.approvedAt()))
                .append("tokenExpiresAt", Date.from(a.expiresAt()))
                .append("idpAlias", a.idpAlias())
                .append("bidirectional", true)
                .append("lastError", null);
    }

    /** Token hash, trusted issuer and KAS registration; with {@code rotate} the spoke's older tokens go. */
    private void persistApproval(MongoDatabase d, Registration r, String spokeId, Approval a, boolean rotate) {
        if (rotate) {
            d.getCollection(TOKENS).deleteMany(Filters.eq("spokeId", spokeId));
        }
        d.getCollection(TOKENS).insertOne(new Document("tokenHash", a.tokenHash())
                .append("spokeId", spokeId)
                .append("instanceCode", r.instanceCode())
                .append("scopes", a.scopes())
                .append("createdAt", Date.from(a.approvedAt()))
                .append("expiresAt", Date.from(a.expiresAt())));
        d.getCollection("trusted_issuers").updateOne(Filters.eq("issuerUrl", r.idpIssuer()),
                Updates.combine(Updates.set("tenant", r.instanceCode()), Updates.set("name", r.name()),
                        Updates.set("enabled", true), Updates.setOnInsert("addedAt", Date.from(a.approvedAt()))),
                new UpdateOptions().upsert(true));
        if (r.kasUrl() != null) {
            String kasId = r.lower() + "-kas";
            d.getCollection("kas_registry").updateOne(Filters.eq("kasId", kasId),
                    Updates.combine(Updates.set("url", r.kasUrl()), Updates.set("instanceCode", r.instanceCode()),
                            Updates.setOnInsert("registeredAt", Date.from(a.approvedAt()))),
                    new UpdateOptions().upsert(true));
        }
    }

    private void rollback(MongoDatabase d, String spokeId) {
        try {
            d.getCollection(TOKENS).deleteMany(Filters.eq("spokeId", spokeId));
            d.getCollection(SPOKES).deleteOne(Filters.eq("spokeId", spokeId));
        } catch (MongoException e) {
            events.error("Rollback of spoke " + spokeId + " failed: " + MongoStore.oneLine(e));
        }
    }

    private void approve(Context ctx) {
        if (!adminAuthorized(ctx)) {
            return;
        }
        MongoDatabase d = database(ctx);
        if (d == null) {
            return;
        }
        String spokeId = ctx.pathParam("spokeId");
        Document spoke;
        try {
            spoke = d.getCollection(SPOKES).find(Filters.eq("spokeId", spokeId)).first();
        } catch (MongoException e) {
            mongoUnavailable(ctx, "reading federation_spokes", e);
            return;
        }
        if (spoke == null) {
            ctx.status(404).json(Map.of("error", "spoke not found", "spokeId", spokeId));
            return;
        }
        Registration r = fromDocument(spoke, readSecret(ctx));
        Approval a;
        try {
            a = approveExternally(r, spokeId);
        } catch (DependencyException e) {
            try {
                d.getCollection(SPOKES).updateOne(Filters.eq("spokeId", spokeId),
                        Updates.set("lastError", e.dependency() + ": " + e.getMessage()));
            } catch (MongoException ignored) {
                // the answer below names the failure anyway
            }
            dependencyFailed(ctx, r.instanceCode(), spokeId, e);
            return;
        }
        try {
            persistApproval(d, r, spokeId, a, true);
            applyApproval(spoke, a);
            d.getCollection(SPOKES).updateOne(Filters.eq("spokeId", spokeId), Updates.combine(
                    Updates.set("status", STATUS_APPROVED), Updates.set("approvedAt", Date.from(a.approvedAt())),
                    Updates.set("tokenExpiresAt", Date.from(a.expiresAt())), Updates.set("idpAlias", a.idpAlias()),
                    Updates.set("bidirectional", true), Updates.set("lastError", null)));
        } catch (MongoException e) {
            mongoUnavailable(ctx, "spoke approval", e);
            return;
        }
        events.info("Spoke " + r.instanceCode() + " (" + spokeId + ") approved (IdP " + a.idpAlias() + " in realm "
                + fed.hubRealm() + ", token valid until " + a.expiresAt() + ")");
        publishTrustedIssuers("spoke " + r.instanceCode() + " approved");
        ctx.status(200).json(approvalBody(spoke, a));
    }

    /** The approve request may carry the spoke client's secret ({@code {"clientSecret": ...}}); it is not stored. */
    private static String readSecret(Context ctx) {
        try {
            byte[] b = ctx.bodyAsBytes();
            if (b.length == 0) {
                return null;
            }
            JsonNode n = JSON.readTree(b);
            return n != null && n.hasNonNull("clientSecret") && !n.get("clientSecret").asText().isEmpty()
                    ? n.get("clientSecret").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static Registration fromDocument(Document s, String clientSecret) {
        @SuppressWarnings("unchecked")
        List<String> scopes = s.get("requestedScopes", List.class);
        return new Registration(s.getString("instanceCode"), s.getString("name"), s.getString("baseUrl"),
                s.getString("apiUrl"), s.getString("idpUrl"), scopes == null || scopes.isEmpty() ? DEFAULT_SCOPES : scopes,
                s.getString("contactEmail"), s.getString("idpIssuer"), s.getString("idpInternalUrl"),
                s.getString("kasUrl"), clientSecret);
    }

    private boolean adminAuthorized(Context ctx) {
        String expected = fed.adminToken();
        String given = bearer(ctx);
        if (expected == null) {
            ctx.status(401).json(Map.of("error", "approval disabled: FEDERATION_ADMIN_TOKEN not configured"));
            return false;
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            ctx.status(401).json(Map.of("error", "missing or invalid federation admin token"));
            return false;
        }
        return true;
    }

    private Map<String, Object> approvalBody(Document spoke, Approval a) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("token", a.token());
        token.put("expiresAt", a.expiresAt().toString());
        token.put("scopes", a.scopes());
        Map<String, Object> opalToken = new LinkedHashMap<>();
        opalToken.put("token", a.opalToken().token());
        opalToken.put("expiresAt", a.opalToken().expiresAt());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spoke", spokeSummary(spoke));
        out.put("token", token);
        out.put("opalToken", opalToken);
        return out;
    }

    private static Map<String, Object> spokeSummary(Document s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spokeId", s.getString("spokeId"));
        m.put("instanceCode", s.getString("instanceCode"));
        m.put("status", s.getString("status"));
        return m;
    }

    private void dependencyFailed(Context ctx, String code, String spokeId, DependencyException e) {
        events.warn("Approval of spoke " + code + " (" + spokeId + ") failed: " + e.dependency() + ": " + e.getMessage());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", e.dependency() + " failed: " + e.getMessage());
        out.put("dependency", e.dependency());
        out.put("instanceCode", code);
        ctx.status(502).json(out);
    }

    private static void conflict(Context ctx, String spokeId) {
        ctx.status(409).json(Map.of("error", "already registered", "spokeId", spokeId));
    }

    private void conflictAfterRace(Context ctx, MongoDatabase d, String code, String ourId) {
        Document other = null;
        try {
            other = d.getCollection(SPOKES).find(Filters.eq("instanceCode", code)).first();
        } catch (MongoException ignored) {
            // answer with what we know
        }
        conflict(ctx, other == null ? ourId : other.getString("spokeId"));
    }

    // ------------------------------------------------------------------ status, list, heartbeat

    private void status(Context ctx) {
        MongoDatabase d = database(ctx);
        if (d == null) {
            return;
        }
        String id = ctx.pathParam("id");
        Document s;
        try {
            s = d.getCollection(SPOKES).find(Filters.or(Filters.eq("spokeId", id),
                    Filters.eq("instanceCode", id.toUpperCase(Locale.ROOT)))).first();
        } catch (MongoException e) {
            mongoUnavailable(ctx, "reading federation_spokes", e);
            return;
        }
        if (s == null) {
            ctx.status(404).json(Map.of("error", "spoke not found", "id", id));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spokeId", s.getString("spokeId"));
        out.put("instanceCode", s.getString("instanceCode"));
        out.put("status", s.getString("status"));
        out.put("approvedAt", iso(s.getDate("approvedAt")));
        out.put("tokenExpiresAt", iso(s.getDate("tokenExpiresAt")));
        out.put("lastHeartbeat", iso(s.getDate("lastHeartbeat")));
        if (s.getString("lastError") != null) {
            out.put("lastError", s.getString("lastError"));
        }
        ctx.json(out);
    }

    private void spokes(Context ctx) {
        MongoDatabase d = database(ctx);
        if (d == null) {
            return;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Instant now = clock.instant();
        long activeWindowMs = 3L * fed.heartbeatIntervalSeconds() * 1000;
        try {
            for (Document s : d.getCollection(SPOKES).find().sort(Indexes.ascending("instanceCode"))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("spokeId", s.getString("spokeId"));
                m.put("instanceCode", s.getString("instanceCode"));
                m.put("name", s.getString("name"));
                m.put("status", s.getString("status"));
                m.put("approvedAt", iso(s.getDate("approvedAt")));
                Date hb = s.getDate("lastHeartbeat");
                m.put("lastHeartbeat", iso(hb));
                Object count = s.get("heartbeatCount");
                m.put("heartbeatCount", count instanceof Number n ? n.longValue() : 0L);
                m.put("tokenExpiresAt", iso(s.getDate("tokenExpiresAt")));
                m.put("bidirectional", Boolean.TRUE.equals(s.getBoolean("bidirectional")));
                m.put("active", STATUS_APPROVED.equals(s.getString("status")) && hb != null
                        && now.toEpochMilli() - hb.getTime() <= activeWindowMs);
                m.put("idpAlias", s.getString("idpAlias"));
                out.add(m);
            }
        } catch (MongoException e) {
            mongoUnavailable(ctx, "reading federation_spokes", e);
            return;
        }
        ctx.json(out);
    }

    private void heartbeat(Context ctx) {
        String token = bearer(ctx);
        if (token == null) {
            ctx.status(401).json(Map.of("error", "missing bearer spoke token"));
            return;
        }
        MongoDatabase d = database(ctx);
        if (d == null) {
            return;
        }
        Instant now = clock.instant();
        Document t;
        Document spoke;
        try {
            t = d.getCollection(TOKENS).find(Filters.and(Filters.eq("tokenHash", sha256(token)),
                    Filters.gt("expiresAt", Date.from(now)))).first();
            spoke = t == null ? null
                    : d.getCollection(SPOKES).find(Filters.eq("spokeId", t.getString("spokeId"))).first();
        } catch (MongoException e) {
            mongoUnavailable(ctx, "reading federation_tokens", e);
            return;
        }
        if (t == null || spoke == null || !STATUS_APPROVED.equals(spoke.getString("status"))) {
            events.warn("Heartbeat rejected from " + ctx.ip() + ": unknown or expired spoke token");
            ctx.status(401).json(Map.of("error", "invalid or expired spoke token"));
            return;
        }
        JsonNode body = null;
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length > 0) {
            try {
                body = JSON.readTree(raw);
            } catch (Exception e) {
                ctx.status(400).json(Map.of("error", "body is not valid JSON"));
                return;
            }
        }
        String code = spoke.getString("instanceCode");
        if (body != null && body.hasNonNull("instanceCode") && !code.equals(body.get("instanceCode").asText())) {
            events.warn("Heartbeat rejected: token of " + code + " used for " + body.get("instanceCode").asText());
            ctx.status(403).json(Map.of("error", "spoke token belongs to another instance"));
            return;
        }
        List<Bson> updates = new ArrayList<>(List.of(Updates.set("lastHeartbeat", Date.from(now)),
                Updates.inc("heartbeatCount", 1)));
        if (body != null && body.has("services") && body.get("services").isObject()) {
            updates.add(Updates.set("services", Document.parse(body.get("services").toString())));
        }
        try {
            d.getCollection(SPOKES).updateOne(Filters.eq("spokeId", spoke.getString("spokeId")), Updates.combine(updates));
        } catch (MongoException e) {
            mongoUnavailable(ctx, "heartbeat recording", e);
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("serverTime", now.toString());
        out.put("spokeId", spoke.getString("spokeId"));
        ctx.json(out);
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode readBody(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            ctx.status(400).json(Map.of("error", "Invalid registration: body must be a JSON object",
                    "details", List.of(new FieldError("body", "body must be a JSON object"))));
            return null;
        }
        return body;
    }

    private MongoDatabase database(Context ctx) {
        MongoDatabase d = db.get();
        if (d == null) {
            ctx.status(503).json(Map.of("error", "MongoDB not connected yet"));
        }
        return d;
    }

    private void mongoUnavailable(Context ctx, String operation, MongoException e) {
        boolean read = operation.startsWith("reading ");
        if (!read && MongoStore.isNotPrimary(e)) {
            events.error(Messages.writeNotPrimary(operation, MongoStore.oneLine(e)));
        } else {
            events.error("MongoDB " + (read ? "read" : "write") + " failed during " + operation + ": "
                    + MongoStore.oneLine(e));
        }
        ctx.status(503).json(Map.of("error", "MongoDB unavailable during " + operation + ": " + MongoStore.oneLine(e)));
    }

    private static boolean isDuplicate(MongoException e) {
        return (e instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY)
                || e.getCode() == 11000;
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = h.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    private static String iso(Date d) {
        return d == null ? null : d.toInstant().toString();
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
