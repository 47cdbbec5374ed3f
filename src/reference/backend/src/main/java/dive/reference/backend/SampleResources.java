package dive.reference.backend;

import org.bson.Document;

import java.util.Date;
import java.util.List;
import java.util.Locale;

/** Sample resources seeded into an empty {@code resources} collection; one per ACP-240 rule worth testing. */
public final class SampleResources {
    private SampleResources() {}

    public static List<Document> forInstance(String code) {
        String c = code.toUpperCase(Locale.ROOT);
        String p = "doc-" + c + "-";
        List<String> nato = List.of("USA", "FRA", "GBR", "DEU", "CAN", "ITA", "ESP", "NLD", "POL");
        return List.of(
                doc(p + "001", c + " unclassified exercise schedule", "UNCLASSIFIED", nato, List.of(), c),
                doc(p + "002", c + " confidential logistics summary", "CONFIDENTIAL", nato, List.of(), c),
                doc(p + "003", c + " NATO secret operations brief", "SECRET", nato, List.of("NATO"), c),
                doc(p + "004", c + " Five Eyes top secret assessment", "TOP_SECRET",
                        List.of("USA", "GBR", "CAN", "AUS", "NZL"), List.of("FVEY"), c),
                doc(p + "005", c + " national eyes only note", "CONFIDENTIAL", List.of(c), List.of(), c));
    }

    private static Document doc(String id, String title, String classification, List<String> rel, List<String> coi,
                                String code) {
        return new Document("resourceId", id)
                .append("title", title)
                .append("classification", classification)
                .append("releasabilityTo", rel)
                .append("COI", coi)
                .append("originInstance", code)
                .append("content", "Sample content of " + id + " (reference backend seed data).")
                .append("createdAt", new Date());
    }
}
