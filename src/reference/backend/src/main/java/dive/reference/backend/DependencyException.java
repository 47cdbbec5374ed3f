package dive.reference.backend;

/** A call to another service (Keycloak, OPAL) failed; the message never holds a secret. */
public final class DependencyException extends Exception {
    private final String dependency;

    public DependencyException(String dependency, String message) {
        super(message);
        this.dependency = dependency;
    }

    /** "Keycloak" or "OPAL". */
    public String dependency() {
        return dependency;
    }
}
