@sso @negative
Feature: Broken federations are caught by the SSO checks, each for its own reason
  Each scenario breaks one thing in the running federation, runs the SSO
  check that depends on it, and requires that check's own verdict to be a
  failure that names the cause. The fault is undone afterwards.

  Background:
    Given the federation of hub "USA" with spokes "FRA" and "GBR" is deployed and registered

  Scenario: The clearance mapper of usa-idp is removed at FRA
    Given spoke "FRA" has lost the "clearance" mapper of "usa-idp" and forgotten the users it brokered
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the check that the token's "clearance" is "SECRET" fails, saying "clearance is absent"

  Scenario: The releasability rule is inverted in the published policy
    Given the hub publishes a policy whose releasability rule is inverted, and it reaches the OPA of "FRA"
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the check that "doc-FRA-005" at "FRA" is refused for releasability fails, saying "HTTP 200"

  Scenario: The hub's identity provider for FRA is disabled
    Given the hub has disabled its identity provider "fra-idp"
    Then the check that "testuser-fra-3" of spoke "FRA" signs in at the hub through "fra-idp" fails, saying "fra-idp"
    And the check that the hub realm has identity providers "fra-idp" and "gbr-idp", and each spoke realm has "usa-idp", fails, saying "dive-v3-broker-usa/fra-idp disabled"
    And the check that the status of spokes "FRA" and "GBR" reads approved, active and bidirectional fails, saying "one-way"

  Scenario: The hub's record of FRA no longer reads approved
    Given the hub's record of spoke "FRA" reads "suspended"
    Then the check that the hub lists spokes "FRA" and "GBR" as approved fails, saying "not for FRA (FRA: suspended, GBR: approved)"
    And the check that the status of spokes "FRA" and "GBR" reads approved, active and bidirectional fails, saying "suspended"

  Scenario: GBR's heartbeats stop because its backend hangs
    Given the backend of spoke "GBR" is frozen until its last heartbeat at the hub is more than 15 seconds old
    Then the check that the hub recorded a heartbeat from "FRA" and from "GBR" within the last 15 seconds fails, saying "not for GBR"
    And the check that the status of spokes "FRA" and "GBR" reads approved, active and bidirectional fails, saying "inactive"

  Scenario: FRA's issuer is not trusted by FRA's policy data
    Given the OPA of "FRA" holds trusted issuers without the issuer of realm "dive-v3-broker-fra"
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the check that the resource list of "FRA" holds exactly "doc-FRA-001, doc-FRA-002, doc-FRA-003, doc-FRA-006, doc-FRA-007" fails, saying "is not trusted"

  Scenario: A realm without the DIVE client scopes refuses the brokered login with invalid_scope
    Given spoke "GBR" has lost its client scope "clearance"
    Then the check that "testuser-gbr-3" of spoke "GBR" signs in at the hub through "gbr-idp" fails, saying "invalid_scope"
