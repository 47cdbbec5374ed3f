package dive.verify.sso;

import dive.verify.http.Http;

import com.fasterxml.jackson.databind.JsonNode;
import dive.verify.oidc.OidcException;
import dive.verify.oidc.TokenEndpointException;
import dive.verify.oidc.Tokens;
import dive.verify.oidc.VerifiedToken;
import dive.verify.probe.Evidence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The SSO checks of the contract, each judged on what the federation did:
 * a token's verified claims, a backend's answer to that token, a refresh
 * the realm granted or refused. Each returns evidence quoting what was seen;
 * none throws for a federation that behaves wrongly (that is a failed
 * verdict), so a negative scenario can require the check's own "failed".
 */
public final class SsoChecks {
    private SsoChecks() {}

    /** Runs a sign-in; a login that ends anywhere but back at the client is a failed verdict naming the page. */
    public static Evidence signedIn(String what, Supplier<SignIn> signIn, java.util.function.Consumer<SignIn> keep) {
        try {
            SignIn s = signIn.get();
            keep.accept(s);
            return Evidence.ok(what, "signed in after " + s.result().pagesVisited().size() + " pages, "
                    + s.result().passwordFormsShown() + " password form(s), " + s.result().elapsed().toMillis() + " ms");
        } catch (OidcException e) {
            return Evidence.failed(what, e.getMessage());
        }
    }

    /** The access token's signature verifies against the realm's published keys, with its issuer and expiry. */
    public static Evidence verifiesAgainst(Site realmOf, String accessToken) {
        String what = "the access token verifies against the keys of realm " + realmOf.realm();
        try {
            VerifiedToken t = SignIn.relyingParty(realmOf).verifyAccessToken(accessToken);
            return Evidence.ok(what, "signature, iss " + t.iss() + " and exp " + t.exp() + " verified");
        } catch (OidcException e) {
            return Evidence.failed(what, e.getMessage());
        }
    }

    /** The verified token of a sign-in (verified against the realm it was signed in at). */
    public static VerifiedToken token(SignIn s) {
        return s.relyingParty().verifyAccessToken(s.accessToken());
    }

    public static Evidence issuerIs(VerifiedToken t, Site site) {
        String what = "the token's issuer is " + site.issuer();
        return Objects.equals(t.iss(), site.issuer()) ? Evidence.ok(what, "iss " + t.iss()) : Evidence.failed(what, "iss " + t.iss());
    }

    /** A single-valued claim equals the expected value exactly. */
    public static Evidence claimIs(VerifiedToken t, String claim, String expected) {
        String what = "the token's " + claim + " is \"" + expected + "\"";
        Object raw = t.claim(claim);
        if (raw == null) return Evidence.failed(what, claim + " is absent from the token (claims: " + t.claims().keySet() + ")");
        String v = t.stringClaim(claim);
        return expected.equals(v) ? Evidence.ok(what, claim + " = " + v) : Evidence.failed(what, claim + " = " + v);
    }

    /** A multi-valued claim holds exactly these values, in any order, each once. */
    public static Evidence claimListIs(VerifiedToken t, String claim, List<String> expected) {
        String what = "the token's " + claim + " is exactly " + expected;
        if (t.claim(claim) == null) return Evidence.failed(what, claim + " is absent from the token");
        List<String> v = t.stringList(claim);
        boolean same = v.size() == expected.size() && v.containsAll(expected) && expected.containsAll(v);
        return same ? Evidence.ok(what, claim + " = " + v) : Evidence.failed(what, claim + " = " + v);
    }

    /** The backend's resource list answers {@code status} to this bearer (or to none). */
    public static Evidence resourceListStatus(Site backendOf, String bearer, int status) {
        String what = "the backend of " + backendOf.code() + " answers GET /api/resources " + (bearer == null ? "without a token" : "with the token")
                + " with HTTP " + status;
        Http.Answer a = Backend.list(backendOf, bearer);
        return a.status() == status ? Evidence.ok(what, a.describe()) : Evidence.failed(what, a.describe());
    }

    /** The resource list holds exactly these resources (what the policy allows this user). */
    public static Evidence resourceListExactly(Site backendOf, String bearer, List<String> expected) {
        String what = "the resource list of " + backendOf.code() + " holds exactly " + expected;
        Http.Answer a = Backend.list(backendOf, bearer);
        if (a.status() != 200 || a.json() == null) return Evidence.failed(what, a.describe());
        List<String> ids = new ArrayList<>();
        for (JsonNode r : a.json().path("resources")) ids.add(r.path("resourceId").asText());
        List<String> denied = new ArrayList<>();
        for (JsonNode d : a.json().path("denied")) denied.add(d.path("resourceId").asText() + ": " + d.path("reason").asText());
        boolean same = ids.size() == expected.size() && ids.containsAll(expected);
        String seen = "allowed " + ids + "; denied " + denied;
        return same ? Evidence.ok(what, seen) : Evidence.failed(what, seen);
    }

    /** The resource is served (200) with the decision's reason. */
    public static Evidence resourceAllowed(Site backendOf, String bearer, String resourceId, String reason) {
        String what = resourceId + " at " + backendOf.code() + " is allowed with HTTP 200 saying \"" + reason + "\"";
        Http.Answer a = Backend.get(backendOf, bearer, resourceId);
        String said = a.json() == null ? null : a.json().path("authzDecision").path("reason").asText(null);
        boolean ok = a.status() == 200 && resourceId.equals(a.field("resourceId")) && reason.equals(said);
        return ok ? Evidence.ok(what, "HTTP 200, reason \"" + said + "\"") : Evidence.failed(what, a.describe());
    }

    /** The resource is refused with this status and a reason that says so. */
    public static Evidence resourceRefused(Site backendOf, String bearer, String resourceId, int status, String saying) {
        String what = resourceId + " at " + backendOf.code() + " is refused with HTTP " + status + " saying \"" + saying + "\"";
        Http.Answer a = Backend.get(backendOf, bearer, resourceId);
        String reason = a.field("reason");
        boolean ok = a.status() == status && reason != null && reason.contains(saying);
        return ok ? Evidence.ok(what, "HTTP " + a.status() + ", reason \"" + reason + "\"") : Evidence.failed(what, a.describe());
    }

    /** The answer for an allowed resource carries its content. */
    public static Evidence carriesContent(Site backendOf, String bearer, String resourceId) {
        String what = "the answer for " + resourceId + " carries its content";
        Http.Answer a = Backend.get(backendOf, bearer, resourceId);
        String content = a.field("content");
        boolean ok = a.status() == 200 && content != null && !content.isBlank()
                && a.json().path("ztdf").path("ciphertext").isTextual();
        return ok ? Evidence.ok(what, "content \"" + content + "\" and an encrypted payload")
                : Evidence.failed(what, a.describe());
    }

    /** A refresh grant gives a new token for the same subject that expires later. */
    public static Evidence refreshGivesLaterToken(SignIn s) {
        String what = "a refresh grant returns a new token for the same subject with a later expiry";
        try {
            VerifiedToken before = token(s);
            // exp has a resolution of one second: refresh in a later second
            Thread.sleep(1100);
            Tokens refreshed = s.relyingParty().refresh(s.tokens().refreshToken());
            VerifiedToken after = s.relyingParty().verifyAccessToken(refreshed.accessToken());
            String seen = "sub " + before.sub() + " → " + after.sub() + ", exp " + before.exp() + " → " + after.exp()
                    + ", new token: " + !refreshed.accessToken().equals(s.accessToken());
            boolean ok = Objects.equals(before.sub(), after.sub()) && after.exp().isAfter(before.exp())
                    && !refreshed.accessToken().equals(s.accessToken());
            return ok ? Evidence.ok(what, seen) : Evidence.failed(what, seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Evidence.failed(what, "interrupted");
        } catch (OidcException e) {
            return Evidence.failed(what, e.getMessage());
        }
    }

    /** After logout, the realm refuses the session's refresh token with this OAuth error. */
    public static Evidence refusedAfterLogout(SignIn s, String error) {
        String what = "after logout the refresh token is refused with " + error;
        try {
            s.relyingParty().logout(s.tokens().refreshToken());
        } catch (OidcException e) {
            return Evidence.failed(what, "logout failed: " + e.getMessage());
        }
        return refreshRefused(s, error, what);
    }

    public static Evidence refreshRefused(SignIn s, String error, String what) {
        try {
            s.relyingParty().refresh(s.tokens().refreshToken());
            return Evidence.failed(what, "the realm still granted a refresh");
        } catch (TokenEndpointException e) {
            return error.equals(e.error()) ? Evidence.ok(what, "HTTP " + e.status() + " " + e.error())
                    : Evidence.failed(what, "HTTP " + e.status() + " " + e.error() + ": " + e.errorDescription());
        } catch (OidcException e) {
            return Evidence.failed(what, e.getMessage());
        }
    }

    public static Evidence refreshWorks(SignIn s, String what) {
        try {
            Tokens t = s.relyingParty().refresh(s.tokens().refreshToken());
            return Evidence.ok(what, "refreshed; new access token expires in " + t.expiresIn() + " s");
        } catch (OidcException e) {
            return Evidence.failed(what, e.getMessage());
        }
    }

    /** The backend refuses a bearer with 401 and a reason that names the fault. */
    public static Evidence refusedBearer(Site backendOf, String what, String bearer, String saying) {
        Http.Answer a = Backend.list(backendOf, bearer);
        String reason = a.field("reason");
        boolean ok = a.status() == 401 && reason != null && reason.contains(saying);
        return ok ? Evidence.ok(what, "HTTP 401, reason \"" + reason + "\"") : Evidence.failed(what, a.describe());
    }

    /** Latency of brokered logins, measured; the verdict compares the average with the limit. */
    public static Evidence averageLatency(List<Duration> samples, Duration limit) {
        String what = "the average of " + samples.size() + " brokered logins is under " + limit.toMillis() + " ms";
        double avg = samples.stream().mapToLong(Duration::toMillis).average().orElse(Double.NaN);
        String seen = String.format("average %.0f ms over %s ms", avg, samples.stream().map(Duration::toMillis).toList());
        return !samples.isEmpty() && avg < limit.toMillis() ? Evidence.ok(what, seen) : Evidence.failed(what, seen);
    }
}
