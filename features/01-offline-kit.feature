@kit
Feature: The offline image kit's services really serve
  The spoke's data, identity and policy services run on images built on this
  machine from its own package registries. Being "up" proves nothing: each
  service must answer a real request made with the instance's own
  credentials. And each of these checks is shown failing against a broken
  variant, so that a green result means something.

  Background:
    Given spoke "FRA" named "France Defence" is initialised from the spoke template
    And its services postgres, mongodb, redis, opa and keycloak are deployed

  Scenario: Every kit service answers a real request
    Then Postgres answers "SELECT current_user" with "postgres" using the instance's password
    And Redis answers PING after AUTH with the instance's password
    And Keycloak serves the OIDC discovery document of realm "dive-v3-broker-fra"
    And OPA answers a decision from a policy loaded into it
    And MongoDB reports replica set state PRIMARY through the driver
    And MongoDB accepts a write to "dive-v3-fra"

  @negative
  Scenario: Each check fails against a broken variant
    Then the Postgres check fails with a wrong password, saying "password authentication failed"
    And the Redis check fails with a wrong password, saying "WRONGPASS"
    And the Keycloak check fails for realm "no-such-realm", saying "HTTP 404"
    And the OPA check fails when no policy is loaded, saying "no policy loaded"
    And the MongoDB check fails on a node that was never initiated, saying "NotYetInitialized"
    And the Redis check fails once the redis container is stopped, saying "Failed to connect"
