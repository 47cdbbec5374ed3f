package dive.verify.check;

import dive.verify.template.ComposeLoader;
import dive.verify.template.ComposeVariant;
import dive.verify.template.DeploymentPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The variant and plan of the "MongoDB never initiated" negative, without an engine. */
class NeverInitiatedMongoTest {
    @TempDir Path dir;

    private static final String COMPOSE = """
            name: dive-spoke-fra
            networks:
              internal:
                name: dive-spoke-fra-internal
            volumes:
              mongo-data:
            services:
              mongodb-fra:
                image: dive-kit/mongo:7
                container_name: dive-spoke-fra-mongodb
                ports: ["127.0.0.1:27018:27017"]
                labels:
                  dive.deploy.stage: "1"
                volumes: ["mongo-data:/data/db"]
                networks: [internal]
                healthcheck:
                  test: ["CMD", "mongosh", "--eval", "rs.status().ok"]
                  interval: 2s
                post_start:
                  - command: ["mongosh", "--eval", "rs.initiate()"]
              backend-fra:
                image: dive-kit/backend:1
                labels:
                  dive.deploy.stage: "2"
                networks: [internal]
            """;

    @Test
    @SuppressWarnings("unchecked")
    void theVariantHasNoInitiationNoHealthcheckNoFixedNameAndARandomLoopbackPort() throws Exception {
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, COMPOSE);
        ComposeVariant v = NeverInitiatedMongo.variant(ComposeVariant.of(compose), "mongodb-fra");
        Map<String, Object> mongo = v.service("mongodb-fra");
        assertThat(mongo).doesNotContainKeys("post_start", "healthcheck", "container_name")
                .containsEntry("image", "dive-kit/mongo:7")
                .containsEntry("ports", List.of("127.0.0.1::27017"));
        assertThat((Map<String, Object>) mongo.get("labels")).containsEntry("dive.deploy.stage", "1");
        assertThat(v.service("backend-fra")).containsEntry("image", "dive-kit/backend:1");

        Path written = v.writeBeside(compose, NeverInitiatedMongo.VARIANT);
        assertThat(written.getFileName().toString()).isEqualTo("docker-compose.variant-mongodb-never-initiated.yml");
        DeploymentPlan alone = ComposeLoader.load(written, Map.of()).alone("mongodb-fra", NeverInitiatedMongo.PROJECT_SUFFIX);
        assertThat(alone.project()).isEqualTo("dive-spoke-fra-uninitiated");
        assertThat(alone.services()).containsOnlyKeys("mongodb-fra");
        assertThat(alone.service("mongodb-fra").healthcheck()).isNull();
    }

    @Test
    void aPlanAloneKeepsOneServiceUnderItsOwnProjectAndNetwork() throws Exception {
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, COMPOSE);
        DeploymentPlan plan = ComposeLoader.load(compose, Map.of());
        DeploymentPlan alone = plan.alone("mongodb-fra", "-uninitiated");
        assertThat(alone.project()).isEqualTo("dive-spoke-fra-uninitiated");
        assertThat(alone.source()).isEqualTo(plan.source());
        assertThat(alone.services()).containsOnlyKeys("mongodb-fra");
        assertThat(alone.service("mongodb-fra")).isSameAs(plan.service("mongodb-fra"));
        assertThat(alone.networks()).containsExactlyEntriesOf(Map.of("internal",
                new DeploymentPlan.NetworkSpec("internal", "dive-spoke-fra-uninitiated", false, false)));
        assertThat(alone.volumes()).isEqualTo(plan.volumes());
        assertThat(alone.unsetVariables()).isEqualTo(plan.unsetVariables());
        assertThat(plan.services()).as("the original plan is unchanged").containsOnlyKeys("mongodb-fra", "backend-fra");
    }
}
