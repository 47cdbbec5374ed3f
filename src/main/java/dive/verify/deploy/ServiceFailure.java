package dive.verify.deploy;

import java.util.List;

/** Why one service did not come up, with the evidence. */
public record ServiceFailure(String service, int stage, String reason, List<String> lastLogLines, String healthOutput) {

    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("  ").append(service).append(" (stage ").append(stage).append("): ").append(reason).append('\n');
        if (healthOutput != null && !healthOutput.isBlank()) {
            sb.append("    last health check output: ").append(healthOutput.strip().replace("\n", "\n      ")).append('\n');
        }
        if (!lastLogLines.isEmpty()) {
            sb.append("    last ").append(lastLogLines.size()).append(" log lines:\n");
            lastLogLines.forEach(l -> sb.append("      | ").append(l).append('\n'));
        }
        return sb.toString();
    }
}
