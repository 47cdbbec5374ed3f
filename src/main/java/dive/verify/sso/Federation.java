package dive.verify.sso;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hub and the spokes of a running, registered federation. */
public record Federation(Site hub, Map<String, Site> spokes) {
    public Federation {
        spokes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(spokes));
    }

    /** The hub or a spoke, by instance code. */
    public Site site(String code) {
        if (hub.code().equals(code)) return hub;
        Site s = spokes.get(code);
        if (s == null) throw new IllegalArgumentException("no instance " + code + " in the federation; expected "
                + hub.code() + " or one of " + spokes.keySet());
        return s;
    }

    public Site spoke(String code) {
        Site s = spokes.get(code);
        if (s == null) throw new IllegalArgumentException("no spoke " + code + " in the federation; expected one of " + spokes.keySet());
        return s;
    }

    public List<Site> all() {
        List<Site> out = new java.util.ArrayList<>();
        out.add(hub);
        out.addAll(spokes.values());
        return out;
    }

    /** The site whose test users include {@code username} ({@code testuser-fra-3}, {@code contractor-fra}). */
    public Site homeOf(String username) {
        for (Site s : all()) {
            if (username.endsWith("-" + s.lower()) || username.contains("-" + s.lower() + "-")) return s;
        }
        throw new IllegalArgumentException("user " + username + " belongs to no instance of the federation ("
                + all().stream().map(Site::code).toList() + "): expected testuser-<code>-N, contractor-<code> or admin-<code>");
    }
}
