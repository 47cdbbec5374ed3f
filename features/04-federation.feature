@federation
Feature: A spoke registers with the hub and joins the federation
  "SPOKE_TOKEN environment variable is required for spoke mode" is expected
  only until the spoke is registered. Registration must leave evidence on
  both sides: tokens in the spoke's .env, the spoke approved at the hub,
  identity brokering both ways, the spoke's issuer trusted, its KAS known,
  and heartbeats arriving with the new token.

  Background:
    Given the hub "USA" named "Coalition Hub" is running
    And spoke "FRA" named "France Defence" is initialised from the spoke template
    And the hub has issued spoke "FRA" its OPAL client token
    And the whole spoke is deployed stage by stage

  @main
  Scenario: Registration records the spoke at the hub, both ways
    When spoke "FRA" registers with the hub
    Then the spoke's .env holds SPOKE_ID, SPOKE_TOKEN and SPOKE_OPAL_TOKEN, readable by its owner only
    And the hub lists spoke "FRA" as approved
    And the hub realm has identity provider "fra-idp" with a mapper for each of the DIVE attributes "clearance, countryOfAffiliation, uniqueID, acpCOI, organizationType"
    And the spoke realm has identity provider "usa-idp"
    And the hub trusts the issuer of realm "dive-v3-broker-fra"
    And the hub has registered KAS "fra-kas"
    And within 30 seconds the hub records a heartbeat from spoke "FRA"
    And the backend log written after registration has no SPOKE_TOKEN warning
    And the status of spoke "FRA" reads approved, with its token expiry, its last heartbeat and nine healthy containers
