package dive.verify.template;

/** A published port: host port (0 = none published) to container port. */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {}
