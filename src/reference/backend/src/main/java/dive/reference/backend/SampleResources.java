package dive.reference.backend;

import org.bson.Document;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Sample resources seeded into an empty {@code resources} collection: {@code doc-<CODE>-001} … {@code -008}, one per
 * ACP-240 rule worth testing. With a KAS master key each carries a {@code ztdf} object whose ciphertext is
 * "ZTDF payload of &lt;resourceId&gt;: &lt;title&gt;" under AES-256-GCM with the DEK the KAS releases for it.
 */
public final class SampleResources {
    public static final List<String> NATO9 = List.of("USA", "FRA", "GBR", "DEU", "CAN", "ITA", "ESP", "NLD", "POL");
    public static final String ALG = "AES-256-GCM";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SampleResources() {}

    private record Spec(String suffix, String title, String classification, List<String> releasabilityTo,
                        List<String> coi, boolean industry, String content) {}

    /** The eight resources of instance {@code code}; {@code kasMasterKey} null = without {@code ztdf}. */
    public static List<Document> forInstance(String code, String kasMasterKey) {
        String c = code.toUpperCase(Locale.ROOT);
        List<Spec> specs = List.of(
                new Spec("001", c + " unclassified exercise schedule", "UNCLASSIFIED", NATO9, List.of(), true,
                        "Dates and locations of the next coalition exercise."),
                new Spec("002", c + " confidential logistics summary", "CONFIDENTIAL", NATO9, List.of(), true,
                        "Summary of fuel and spare-part stocks for the exercise."),
                new Spec("003", c + " NATO secret operations brief", "SECRET", NATO9, List.of("NATO"), false,
                        "Outline of the NATO operations brief (sample text)."),
                new Spec("004", c + " Five Eyes top secret assessment", "TOP_SECRET",
                        List.of("USA", "GBR", "CAN", "AUS", "NZL"), List.of("FVEY"), false,
                        "Heading of a Five Eyes assessment (sample text)."),
                new Spec("005", c + " national eyes only note", "CONFIDENTIAL", List.of(c), List.of(), false,
                        "A note for " + c + " nationals only (sample text)."),
                new Spec("006", c + " government-only unclassified directory", "UNCLASSIFIED", NATO9, List.of(), false,
                        "Contact directory of government offices; not for industry."),
                new Spec("007", c + " secret mission plan", "SECRET", NATO9, List.of(), false,
                        "Phases of a coalition mission plan (sample text)."),
                new Spec("008", c + " top secret strategic estimate", "TOP_SECRET", NATO9, List.of(), false,
                        "Headline of a strategic estimate (sample text)."));
        KeyDerivation keys = kasMasterKey == null ? null : new KeyDerivation(kasMasterKey);
        List<Document> out = new ArrayList<>();
        Date now = new Date();
        for (Spec s : specs) {
            String id = "doc-" + c + "-" + s.suffix();
            Document d = new Document("resourceId", id)
                    .append("title", s.title())
                    .append("classification", s.classification())
                    .append("releasabilityTo", s.releasabilityTo())
                    .append("COI", s.coi())
                    .append("releasableToIndustry", s.industry())
                    .append("originInstance", c)
                    .append("content", s.content())
                    .append("createdAt", now);
            if (keys != null) {
                d.append("ztdf", ztdf(id, s.title(), c, keys));
            }
            out.add(d);
        }
        return out;
    }

    /** The plaintext sealed in a resource's {@code ztdf}. */
    public static String payload(String resourceId, String title) {
        return "ZTDF payload of " + resourceId + ": " + title;
    }

    private static Document ztdf(String resourceId, String title, String code, KeyDerivation keys) {
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        byte[] ciphertext;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(keys.dek(resourceId)), "AES"),
                    new GCMParameterSpec(128, iv));
            ciphertext = cipher.doFinal(payload(resourceId, title).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable: " + e.getClass().getSimpleName());
        }
        return new Document("kaoId", "kao-" + resourceId)
                .append("kasId", code.toLowerCase(Locale.ROOT) + "-kas")
                .append("alg", ALG)
                .append("iv", Base64.getEncoder().encodeToString(iv))
                .append("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
    }
}
