@attach
Feature: Verifying a spoke that another tool deployed
  The seed's incident happened in an operator's own pipeline: DIVE's scripts
  deployed the FRA spoke and declared it healthy. Here the spoke is deployed
  by an independent deployer (Debian's docker-compose, from the operator's
  compose file and .env), and the harness attaches to the running containers
  by the compose project and service names: the same checks run, unchanged,
  and nothing the other tool owns is created, restarted or removed.

  Background:
    Given the hub "USA" named "Coalition Hub" is running
    And spoke "FRA" named "France Defence" is initialised from the spoke template
    And the hub has issued spoke "FRA" its OPAL client token

  Scenario: A spoke deployed with docker-compose passes the outcome checks in attach mode, untouched
    Given the spoke is deployed with docker-compose, not by the harness
    When the harness attaches to the compose project of the spoke
    Then all nine services of the spoke exist and are healthy
    And MongoDB reports replica set state PRIMARY through the driver
    And MongoDB accepts a write to "dive-v3-fra"
    And no container log contains a forbidden line, except "SPOKE_TOKEN missing" before registration
    When a client asks the backend for resource "doc-fra-001" without a token
    Then Postgres table "audit_log" has a row for resource "doc-fra-001"
    And the spoke's OPA lists the policy "dive/authz.rego"
    And nothing the compose deployment owns was changed by the verification

  @negative
  Scenario: A compose-deployed spoke without KAS is caught in attach mode, as the incident's was not
    Given a variant of the template without the "kas" service
    And the variant is deployed with docker-compose, not by the harness
    When the harness attaches to the compose project of the spoke
    Then the check that all nine services of the spoke exist fails, naming "kas-fra (not in the template)"

  @negative
  Scenario: A compose-deployed backend without DATABASE_URL is caught in attach mode
    Given a variant of the template where the backend gets no "DATABASE_URL"
    And the variant's backend is deployed with docker-compose, with what it depends on, not by the harness
    When the harness attaches to the compose project of the spoke
    Then the forbidden-log check fails, quoting "DATABASE_URL not configured"
    And the audit check fails for resource "doc-fra-001", saying "audit_log"
