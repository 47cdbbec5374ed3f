package dive.verify.deploy;

import dive.verify.report.Secrets;

import java.util.Map;

/** Plain-text evidence about a deployment, for the report: timings, images, container states and health output. */
public final class DeploymentReport {
    private DeploymentReport() {}

    public static String describe(Deployment d) {
        StringBuilder sb = new StringBuilder("Deployment ").append(d.name()).append(" (run ").append(RunContext.current().runId()).append(")\n\n");
        if (d.attachedProject() != null) {
            sb.append("Attached to compose project ").append(d.attachedProject())
                    .append(", deployed by another tool; nothing was created, restarted or removed: ")
                    .append(String.join(", ", d.adoptedServices())).append("\n\n");
        } else if (!d.adoptedServices().isEmpty()) {
            sb.append(d.resumedAt() > 0 ? "Resumed at stage " + d.resumedAt() : "Verified without redeploying")
                    .append("; taken over from an earlier run after a health re-check: ").append(String.join(", ", d.adoptedServices())).append("\n\n");
        }
        if (d.state() != null) sb.append("State: ").append(d.state().status()).append(", stages completed ")
                .append(d.state().stages().stream().map(st -> String.valueOf(st.stage())).toList()).append("\n\n");
        sb.append("Timings (time to ready):\n");
        for (Timing t : d.timings()) sb.append("  ").append(t.format()).append('\n');
        sb.append("\nImages:\n");
        for (var s : d.plan().services().values()) {
            if (!d.selectedServices().contains(s.key())) continue;
            String id = "?", version = "";
            try {
                var img = Docker.client().inspectImageCmd(s.image()).exec();
                id = img.getId().replace("sha256:", "").substring(0, 12);
                Map<String, String> labels = img.getConfig() == null ? null : img.getConfig().getLabels();
                if (labels != null && labels.get("org.dive-verify.kit.upstream-version") != null) {
                    version = labels.get("org.dive-verify.kit.upstream-version");
                }
            } catch (RuntimeException e) {
                id = "missing";
            }
            sb.append(String.format("  %-20s %-34s %s  %s%n", s.key(), s.image(), id, version));
        }
        return Secrets.redact(sb.toString());
    }

    public static String health(Deployment d) {
        StringBuilder sb = new StringBuilder();
        for (String key : d.existingContainers().keySet()) {
            try {
                var inspect = Docker.client().inspectContainerCmd(d.containerId(key)).exec();
                var state = inspect.getState();
                sb.append(key).append(": ").append(state.getStatus()).append(", exit code ").append(state.getExitCodeLong())
                        .append(", restarts ").append(inspect.getRestartCount());
                if (state.getHealth() != null) {
                    sb.append(", health ").append(state.getHealth().getStatus());
                    var log = state.getHealth().getLog();
                    if (log != null && !log.isEmpty()) {
                        var last = log.get(log.size() - 1);
                        sb.append("\n    last check: exit ").append(last.getExitCodeLong()).append(": ")
                                .append(last.getOutput() == null ? "" : last.getOutput().strip().replace("\n", "\n      "));
                    }
                }
                sb.append('\n');
            } catch (RuntimeException e) {
                sb.append(key).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return Secrets.redact(sb.toString());
    }
}
