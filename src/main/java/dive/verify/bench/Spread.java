package dive.verify.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Minimum, median and maximum of a few measured rounds: enough to see noise, no more statistics than that. */
public record Spread(double min, double median, double max, int rounds) {

    public static Spread of(List<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("no measurement to summarise");
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return new Spread(v.get(0), median, v.get(n - 1), n);
    }

    public String format(String unit) {
        return String.format("%.1f / %.1f / %.1f %s", min, median, max, unit);
    }
}
