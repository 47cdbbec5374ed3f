@spoke @attachable
Feature: A fresh spoke deployment has the outcomes the seed only claimed
  The FRA incident: a spoke was declared healthy while two warnings were
  ignored, MongoDB writes failed with "not primary", and the KAS container
  did not exist at all. Here a clean FRA spoke is deployed from its template,
  stage by stage, and each outcome is checked against the running containers.

  Background:
    Given the hub "USA" named "Coalition Hub" is running
    And spoke "FRA" named "France Defence" is initialised from the spoke template
    And the hub has issued spoke "FRA" its OPAL client token
    And the whole spoke is deployed stage by stage

  @main
  Scenario: All nine services exist and are healthy
    Then all nine services of the spoke exist and are healthy

  @main
  Scenario: MongoDB is PRIMARY and takes writes
    Then MongoDB reports replica set state PRIMARY through the driver
    And MongoDB says it is the writable primary
    And MongoDB accepts a write to "dive-v3-fra"

  @main
  Scenario: KAS is running and answers its health endpoint
    Then KAS answers "/health" with a version that mentions "ACP-240"

  @main
  Scenario: No container log shows a line that marks a broken deployment
    Then no container log contains a forbidden line, except "SPOKE_TOKEN missing" before registration

  @main
  Scenario: The backend persists audit rows in Postgres
    When a client asks the backend for resource "doc-fra-001" without a token
    Then Postgres table "audit_log" has a row for resource "doc-fra-001"

  @main
  Scenario: The spoke's OPA decides with the policy OPAL delivered from the hub
    Then the spoke's OPA lists the policy "dive/authz.rego"
    And the spoke's OPA denies a SECRET resource to a "CONFIDENTIEL DÉFENSE" subject, saying "below classification"

  @main
  Scenario: The backend created its trusted-issuer indexes
    Then MongoDB collection "trusted_issuers" of "dive-v3-fra" has a unique index on "issuerUrl"
    And MongoDB collection "trusted_issuers" of "dive-v3-fra" has an index on "tenant"

