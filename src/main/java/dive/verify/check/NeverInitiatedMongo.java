package dive.verify.check;

import dive.verify.deploy.DeployOptions;
import dive.verify.deploy.Deployment;
import dive.verify.deploy.StagedDeployer;
import dive.verify.instance.Instance;
import dive.verify.probe.Evidence;
import dive.verify.probe.MongoProbe;
import dive.verify.template.ComposeVariant;

import java.nio.file.Path;
import java.util.List;

/**
 * A second MongoDB of an instance's image and template, minus the
 * replica-set initiation (no post_start, no healthcheck), in its own project
 * beside the healthy deployment: the node the MongoDB primary check must
 * judge "not PRIMARY". Close it to remove it.
 */
public final class NeverInitiatedMongo implements AutoCloseable {
    static final String VARIANT = "mongodb-never-initiated";
    static final String PROJECT_SUFFIX = "-uninitiated";

    private final Instance instance;
    private final Deployment deployment;
    private final int port;

    private NeverInitiatedMongo(Instance instance, Deployment deployment) {
        this.instance = instance;
        this.deployment = deployment;
        this.port = deployment.mappedPort(instance.service("mongodb"), 27017);
    }

    /** Writes the variant beside the instance's compose file and deploys its MongoDB alone. */
    public static NeverInitiatedMongo deploy(Instance instance) {
        String mongo = instance.service("mongodb");
        Path variant = variant(ComposeVariant.of(instance.composeFile()), mongo).writeBeside(instance.composeFile(), VARIANT);
        Deployment d = new StagedDeployer().deploy(instance.plan(variant).alone(mongo, PROJECT_SUFFIX), DeployOptions.all());
        try {
            return new NeverInitiatedMongo(instance, d);
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** The template's MongoDB without initiation, health check or fixed name, on a random loopback port. */
    static ComposeVariant variant(ComposeVariant v, String mongo) {
        return v.remove(mongo, "post_start")
                .remove(mongo, "healthcheck")
                .remove(mongo, "container_name")
                .set(mongo, "ports", List.of("127.0.0.1::27017"));
    }

    /** The MongoDB primary check, against this node. */
    public Evidence primary() {
        try (MongoProbe m = new MongoProbe(DeploymentChecks.HOST, port, "admin", instance.secret("MONGO_PASSWORD_" + instance.code().upper()))) {
            return m.replicaState();
        }
    }

    @Override
    public void close() { deployment.close(); }
}
