package dive.verify.sso;

import dive.verify.http.Http;

import com.fasterxml.jackson.databind.JsonNode;
import dive.verify.probe.Evidence;
import dive.verify.report.Secrets;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Key release by a KAS and the use of the key: the resource's encrypted
 * payload (AES-256-GCM, as the backend serves it) is decrypted with the data
 * encryption key the KAS released. GCM's tag makes a wrong key fail loudly.
 */
public final class KeyAccess {
    private KeyAccess() {}

    /** What the KAS answered to one key request. */
    public record Release(int status, boolean success, String dek, String denialReason, String answer) {}

    public static Release request(Site kasOf, String bearer, String resourceId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resourceId", resourceId);
        body.put("kaoId", "kao-" + resourceId);
        body.put("bearerToken", bearer);
        Http.Answer a = Http.postJson(kasOf.kasUrl() + "/request-key", body, null);
        String dek = a.field("dek");
        Secrets.register(dek);
        JsonNode success = a.json() == null ? null : a.json().get("success");
        return new Release(a.status(), success != null && success.asBoolean(false), dek, a.field("denialReason"), a.describe());
    }

    public static Evidence released(Release r) {
        String what = "the KAS releases a key";
        boolean ok = r.status() == 200 && r.success() && r.dek() != null && !r.dek().isBlank();
        return ok ? Evidence.ok(what, "HTTP 200, success, a " + Base64.getDecoder().decode(r.dek()).length + "-byte key")
                : Evidence.failed(what, r.answer());
    }

    public static Evidence refused(Release r, int status, String saying) {
        String what = "the KAS refuses with HTTP " + status + " saying \"" + saying + "\"";
        boolean ok = r.status() == status && !r.success() && r.denialReason() != null && r.denialReason().contains(saying);
        return ok ? Evidence.ok(what, "HTTP " + r.status() + ", denialReason \"" + r.denialReason() + "\"") : Evidence.failed(what, r.answer());
    }

    public static Evidence noKeyMaterial(Release r) {
        String what = "the answer holds no key material";
        return r.dek() == null ? Evidence.ok(what, "dek is null") : Evidence.failed(what, "dek present (" + r.dek().length() + " characters)");
    }

    /** Decrypts the resource's payload as served by the backend to this bearer, with the released key. */
    public static Evidence decrypts(Release r, Site backendOf, String bearer, String resourceId, String expectedStart) {
        String what = "the key decrypts the encrypted content of " + resourceId;
        if (r.dek() == null) return Evidence.failed(what, "no key was released: " + r.answer());
        Http.Answer a = Backend.get(backendOf, bearer, resourceId);
        JsonNode z = a.json() == null ? null : a.json().get("ztdf");
        if (a.status() != 200 || z == null || !z.path("ciphertext").isTextual()) {
            return Evidence.failed(what, "no encrypted payload from the backend: " + a.describe());
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(r.dek()), "AES"),
                    new GCMParameterSpec(128, Base64.getDecoder().decode(z.path("iv").asText())));
            String plain = new String(c.doFinal(Base64.getDecoder().decode(z.path("ciphertext").asText())), StandardCharsets.UTF_8);
            return plain.startsWith(expectedStart) ? Evidence.ok(what, "GCM tag verified; plaintext \"" + plain + "\"")
                    : Evidence.failed(what, "GCM tag verified but the plaintext reads \"" + plain + "\"");
        } catch (AEADBadTagException e) {
            return Evidence.failed(what, "the GCM tag does not verify: the released key is not the content's key");
        } catch (Exception e) {
            return Evidence.failed(what, "cannot decrypt: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }
}
