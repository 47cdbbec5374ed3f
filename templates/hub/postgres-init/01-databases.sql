-- Runs once, at the first start of the hub's Postgres (docker-entrypoint-initdb.d).
-- POSTGRES_DB (dive_v3) already exists: it holds the backend's audit_log,
-- which DATABASE_URL names. Keycloak gets its own database.
CREATE DATABASE keycloak;
