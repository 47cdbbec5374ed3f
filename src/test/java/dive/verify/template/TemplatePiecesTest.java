package dive.verify.template;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small value types of the template package. */
class TemplatePiecesTest {
    static ServiceSpec spec(String key, int stage) {
        return new ServiceSpec(key, "img", null, List.of(), List.of(), Map.of(), List.of(), List.of(), null, Map.of(),
                List.of(), Map.of(), Map.of(), null, null, null, List.of(), List.of(), stage, null, false);
    }

    @Test
    void templateExceptionNamesFileAndLine() {
        TemplateException e = new TemplateException("spoke.yml", 1, "bad");
        assertThat(e).hasMessage("spoke.yml:1: bad");
        assertThat(e.file()).isEqualTo("spoke.yml");
        assertThat(e.line()).isEqualTo(1);
        assertThat(new TemplateException("spoke.yml", 0, "bad")).hasMessage("spoke.yml: bad");
        assertThat(new TemplateException(null, 3, "bad")).hasMessage("bad");
    }

    @Test
    void kindIsTheKeyWithoutTheInstanceSuffix() {
        assertThat(spec("kas-fra", 1).kind()).isEqualTo("kas");
        assertThat(spec("opal-client-fra", 1).kind()).isEqualTo("opal-client");
        assertThat(spec("opal-client", 1).kind()).isEqualTo("opal-client");
        assertThat(spec("keycloak", 1).kind()).isEqualTo("keycloak");
        assertThat(spec("-fra", 1).kind()).isEqualTo("-fra");
        assertThat(spec("a-fra", 1).kind()).isEqualTo("a");
    }

    @Test
    void stagedMeansAStageOfOneOrMore() {
        assertThat(spec("a", 1).staged()).isTrue();
        assertThat(spec("a", 0).staged()).isFalse();
    }

    @Test
    void planGroupsServicesByStage() {
        Map<String, ServiceSpec> services = new LinkedHashMap<>();
        services.put("b", spec("b", 2));
        services.put("a", spec("a", 1));
        services.put("c", spec("c", 2));
        services.put("k", spec("k", 0));
        DeploymentPlan p = new DeploymentPlan("p", Path.of("c.yml"), services, Map.of(), Map.of(), Set.of());
        assertThat(p.stages()).containsExactly(1, 2);
        assertThat(p.servicesOfStage(2)).extracting(ServiceSpec::key).containsExactly("b", "c");
        assertThat(p.servicesOfStage(3)).isEmpty();
        assertThat(p.unstaged()).extracting(ServiceSpec::key).containsExactly("k");
        assertThat(p.service("a").key()).isEqualTo("a");
        assertThatThrownBy(() -> p.service("z")).hasMessage("no service \"z\" in c.yml; services are [b, a, c, k]");
    }

    @Test
    void lineOfCountsNewlinesBeforeTheOffset() {
        assertThat(Placeholders.lineOf("a\nb", 0)).isEqualTo(1);
        assertThat(Placeholders.lineOf("a\nb", 1)).isEqualTo(1);
        assertThat(Placeholders.lineOf("a\nb", 2)).isEqualTo(2);
    }
}
