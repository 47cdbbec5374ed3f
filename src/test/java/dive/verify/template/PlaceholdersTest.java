package dive.verify.template;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaceholdersTest {
    @Test
    void rendersKnownPlaceholders() {
        assertThat(Placeholders.render("kas-{{INSTANCE_CODE_LOWER}}: {{ X }}", Map.of("INSTANCE_CODE_LOWER", "fra", "X", "1"), "t"))
                .isEqualTo("kas-fra: 1");
    }

    @Test
    void unknownPlaceholderNamesFileAndLine() {
        assertThatThrownBy(() -> Placeholders.render("a\nb\n  image: {{IMAGE_NOPE}}", Map.of("A", "1"), "spoke.yml"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("spoke.yml:3: unknown placeholder {{IMAGE_NOPE}}");
    }
}
