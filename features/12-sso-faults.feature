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

  Scenario: FRA's issuer is not trusted by FRA's policy data
    Given the OPA of "FRA" holds trusted issuers without the issuer of realm "dive-v3-broker-fra"
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the check that the resource list of "FRA" holds exactly "doc-FRA-001, doc-FRA-002, doc-FRA-003, doc-FRA-006, doc-FRA-007" fails, saying "is not trusted"

  Scenario: A realm without the DIVE client scopes refuses the brokered login with invalid_scope
    Given spoke "GBR" has lost its client scope "clearance"
    Then the check that "testuser-gbr-3" of spoke "GBR" signs in at the hub through "gbr-idp" fails, saying "invalid_scope"
