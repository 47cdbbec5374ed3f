package dive.verify.template;

/**
 * A volume of a service: a named volume of the deployment ({@code named} true,
 * {@code source} the volume key) or a bind mount of a host path (absolute,
 * resolved against the compose file's directory).
 */
public record VolumeMount(boolean named, String source, String target, boolean readOnly) {}
