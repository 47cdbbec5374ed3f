package dive.reference.backend;

/**
 * Log texts that the contract quotes word for word. A log scan of a deployment
 * looks for exactly these, so they must not be reworded.
 */
public final class Messages {
    private Messages() {}

    public static final String OPAL_TOKEN_MISSING =
            "OPAL_AUTH_MASTER_TOKEN not set - OPAL token generation will fail";
    public static final String DATABASE_URL_MISSING =
            "DATABASE_URL not configured - PostgreSQL audit persistence disabled";
    public static final String SPOKE_TOKEN_MISSING =
            "SPOKE_TOKEN environment variable is required for spoke mode. Register the spoke first.";
    public static final String KAS_MASTER_KEY_MISSING =
            "KAS_MASTER_KEY not set - resources are seeded without encrypted payloads";
    public static final String INDEXES_CREATED = "MongoDB indexes created successfully";
    public static final String INDEXES_FAILED_NOT_PRIMARY =
            "Failed to create MongoDB indexes: replica set not PRIMARY after retries";

    public static String notPrimaryRetry(int attempt, int maxAttempts, long delayMs) {
        return "MongoDB not PRIMARY yet (attempt " + attempt + "/" + maxAttempts + "), retrying in " + delayMs + "ms...";
    }

    public static String connectRetry(int attempt, int maxAttempts, long delayMs, String cause) {
        return "MongoDB connection attempt " + attempt + "/" + maxAttempts + " failed (" + cause + "), retrying in "
                + delayMs + "ms...";
    }

    /** Every failed MongoDB write that was refused because the node is not primary carries "not primary". */
    public static String writeNotPrimary(String operation, String cause) {
        return "MongoServerError: not primary - MongoDB write failed during " + operation + " (" + cause + ")";
    }
}
