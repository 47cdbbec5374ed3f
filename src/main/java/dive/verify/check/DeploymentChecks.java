package dive.verify.check;

import dive.verify.deploy.ContainerLog;
import dive.verify.deploy.Deployment;
import dive.verify.http.Http;
import dive.verify.instance.Instance;
import dive.verify.probe.Evidence;
import dive.verify.probe.HttpProbe;
import dive.verify.probe.LogScan;
import dive.verify.probe.MongoProbe;
import dive.verify.probe.OidcDiscoveryProbe;
import dive.verify.probe.OpaProbe;
import dive.verify.probe.RedisProbe;
import dive.verify.probe.SqlProbe;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcomes a deployment must have, each as one method that returns the
 * evidence it is judged on. Steps call these and nothing else; every method
 * here can fail, and the negative scenarios show each one failing.
 */
public final class DeploymentChecks {
    public static final String HOST = "localhost";

    private final Instance instance;
    private final Deployment deployment;

    public DeploymentChecks(Instance instance, Deployment deployment) {
        this.instance = instance;
        this.deployment = deployment;
    }

    private String key(String kind) { return instance.service(kind); }

    private String code() { return instance.code().upper(); }

    /**
     * Every expected service has a container and it is healthy (or running,
     * when it has no healthcheck). Read from the engine, so a container that
     * was never created is named, whatever the deployer believed; read once the
     * engine's own checks have caught up with the deployer's, so a health command
     * that passed for the deployer and not for the engine is named with what the engine said.
     */
    public Evidence allServicesExistAndHealthy(List<String> expectedKeys) {
        Map<String, String> disagreed = new LinkedHashMap<>();
        deployment.engineAgreement().forEach(f -> disagreed.put(f.service(), f.reason()));
        Map<String, Integer> stages = new LinkedHashMap<>();
        deployment.plan().services().forEach((k, spec) -> stages.put(k, spec.stage()));
        return Verdicts.servicesHealthy(expectedKeys, deployment.existingContainers(), stages,
                k -> disagreed.containsKey(k) ? deployment.health(k) + " (" + disagreed.get(k) + ")" : deployment.health(k));
    }

    public Evidence postgresQuery(String sql, String password) {
        return SqlProbe.query(HOST, instance.port("postgres"), "dive_v3", "postgres", password, sql);
    }

    public String postgresPassword() { return instance.secret("POSTGRES_PASSWORD_" + code()); }

    public Evidence redisPing(String password) { return RedisProbe.ping(HOST, instance.port("redis"), password); }

    public String redisPassword() { return instance.secret("REDIS_PASSWORD_" + code()); }

    public String keycloakUrl() { return "http://" + HOST + ":" + instance.port("keycloak"); }

    public Evidence keycloakDiscovery(String realm) { return OidcDiscoveryProbe.discovery(keycloakUrl(), realm); }

    public String opaUrl() { return "http://" + HOST + ":" + instance.port("opa"); }

    /** Loads a tiny ACP-240-style rule under its own package and asks for an allow and a deny. */
    public Evidence opaDecisionFromLoadedPolicy() {
        String rego = """
                package diveverify.probe

                default allow := false

                allow if {
                    input.subject.clearance_rank >= input.resource.classification_rank
                }
                """;
        Evidence put = OpaProbe.putPolicy(opaUrl(), "diveverify-probe", rego);
        if (!put.ok()) return put;
        Evidence allow = OpaProbe.decide(opaUrl(), "diveverify.probe.allow",
                Map.of("subject", Map.of("clearance_rank", 3), "resource", Map.of("classification_rank", 2)));
        Evidence deny = OpaProbe.decide(opaUrl(), "diveverify.probe.allow",
                Map.of("subject", Map.of("clearance_rank", 1), "resource", Map.of("classification_rank", 2)));
        String what = "OPA decisions from a loaded policy (SECRET reads CONFIDENTIAL: allow; UNCLASSIFIED reads CONFIDENTIAL: deny)";
        return Verdicts.allowThenDeny(what, allow, deny);
    }

    /** OPA's policy list contains a module whose id ends with {@code suffix}. */
    public Evidence opaHasPolicy(String suffix) {
        String what = "OPA policies at " + opaUrl() + " include *" + suffix;
        Http.Answer r = Http.get(opaUrl() + "/v1/policies", null);
        if (!r.answered()) return Evidence.failed(what, r.body());
        List<String> ids = r.status() == 200 ? r.each("result", "id") : null;
        if (ids == null) return Evidence.failed(what, "no policy list: " + r.describe());
        boolean ok = ids.stream().anyMatch(id -> id != null && id.endsWith(suffix));
        return new Evidence(ok, what, "loaded: " + ids);
    }

    /** A real dive.authz decision: the answer (allow + reason) can only come from the ACP-240 policy. */
    public Evidence diveAuthzDecision(String clearance, String classification, String country, java.util.List<String> releasableTo) {
        Map<String, Object> input = Map.of(
                "subject", Map.of("uniqueID", "probe@" + instance.code().lower(), "clearance", clearance,
                        "countryOfAffiliation", country, "acpCOI", java.util.List.of("NATO"), "issuer", keycloakUrl() + "/realms/" + Contract.realm(instance.code().lower())),
                "action", Map.of("operation", "read"),
                "resource", Map.of("resourceId", "probe-doc", "classification", classification, "releasabilityTo", releasableTo, "COI", java.util.List.of("NATO")),
                "context", Map.of("currentTime", java.time.Instant.now().toString(), "requestId", "dive-verify"));
        return OpaProbe.decide(opaUrl(), "dive.authz", input);
    }

    /** Asks for a decision under a package nothing was loaded into. */
    public Evidence opaDecisionWithoutPolicy() {
        return OpaProbe.decide(opaUrl(), "diveverify.unloaded.allow", Map.of("subject", Map.of()));
    }

    public MongoProbe mongo() {
        return mongoOf(instance);
    }

    /** The driver connected from this host to an instance's MongoDB, as its admin (the password from its .env). */
    public static MongoProbe mongoOf(Instance instance) {
        return new MongoProbe(HOST, instance.port("mongodb"), "admin", instance.secret("MONGO_PASSWORD_" + instance.code().upper()));
    }

    public Evidence mongoPrimary() {
        try (MongoProbe m = mongo()) { return m.replicaState(); }
    }

    public Evidence mongoWritablePrimary() {
        try (MongoProbe m = mongo()) { return m.writablePrimary(); }
    }

    public Evidence mongoWrite(String database) {
        try (MongoProbe m = mongo()) { return m.write(database, "dive_verify_probe"); }
    }

    /** An index on exactly {@code [field]} (unique if asked): a compound index that includes the field does not count. */
    public Evidence mongoIndex(String database, String collection, String field, boolean unique) {
        try (MongoProbe m = mongo()) {
            return Verdicts.index(database, collection, field, unique, m.indexes(database, collection));
        } catch (RuntimeException e) {
            return Evidence.failed((unique ? "unique index" : "index") + " on " + field + " of " + database + "." + collection, Evidence.message(e));
        }
    }

    public Evidence kasHealth(String path, String mention) {
        Evidence e = HttpProbe.expect("http://" + HOST + ":" + instance.port("kas") + path, 200);
        if (!e.ok()) return e;
        return new Evidence(e.observed().contains(mention), e.what() + " mentions " + mention, e.observed());
    }

    public Evidence backendHealthy() {
        Evidence e = HttpProbe.expect("http://" + HOST + ":" + instance.port("backend") + "/api/health", 200);
        if (!e.ok()) return e;
        return new Evidence(e.observed().contains("\"healthy\""), "backend /api/health is healthy", e.observed());
    }

    /** A client request to a resource; whatever the answer, the backend must have audited it. */
    public Evidence requestResource(String resourceId, String bearer) {
        String url = "http://" + HOST + ":" + instance.port("backend") + "/api/resources/" + resourceId;
        Http.Answer r = Http.get(url, bearer);
        return r.answered() ? Evidence.ok("GET " + url, "HTTP " + r.status()) : Evidence.failed("GET " + url, r.body());
    }

    public Evidence auditRow(String resourceId) {
        return Verdicts.auditRows(resourceId, SqlProbe.count(HOST, instance.port("postgres"), "dive_v3", "postgres", postgresPassword(),
                "audit_log", "resource_id", resourceId));
    }

    /** The log of one service (e.g. a backend recreated after registration) has no forbidden line of the contract, none excused. */
    public Evidence noForbiddenLogLinesIn(String kind) {
        String service = key(kind);
        var log = deployment.log(service);
        log.flush();
        return LogScan.evidence(LogScan.forbidden(Map.of(service, log.lines()), LogScan.FORBIDDEN, List.of()), 1);
    }

    /**
     * No container log contains a forbidden line of the contract, except the
     * allowed rules in lines written before the instance's registration (all
     * lines, when it was never registered; see {@link Instance#registeredAt()}).
     */
    public Evidence noForbiddenLogLines(List<String> allowedBeforeRegistration) {
        Map<String, List<ContainerLog.Line>> logs = new LinkedHashMap<>();
        deployment.logs().forEach((k, log) -> { log.flush(); logs.put(k, log.entries()); });
        Instant registeredAt = instance.registeredAt().orElse(null);
        return LogScan.evidence(LogScan.forbidden(logs, LogScan.FORBIDDEN, allowedBeforeRegistration, registeredAt), logs.size());
    }
}
