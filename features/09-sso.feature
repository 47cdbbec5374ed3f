@sso @main
Feature: The 27 SSO checks: people of one nation sign in at another and are authorised correctly
  The seed's "All 27 SSO tests pass" was never true: the suite could not run,
  and none of its "SSO" tests was a brokered login. Here each check is a real
  brokered login, as a person would do it: authorization code with PKCE,
  through the other side's login form, and the token it yields is used
  against the other side's backend, whose decisions come from the policy
  that OPAL delivered. Each check asserts a concrete value that can fail.

  hub → spoke: a USA user signs in at a spoke's realm through "usa-idp".
  spoke → hub: a FRA user signs in at the hub realm through "fra-idp".

  The users (passwords from the instances' .env, never printed):
    | user           | clearance as issued  | acpCOI     | organization |
    | testuser-usa-3 | SECRET               | NATO       | GOVERNMENT   |
    | testuser-usa-5 | TOP_SECRET           | NATO, FVEY | GOVERNMENT   |
    | testuser-fra-2 | CONFIDENTIEL DÉFENSE |            | GOVERNMENT   |
    | testuser-fra-3 | SECRET DÉFENSE       | NATO       | GOVERNMENT   |
    | testuser-fra-5 | TRÈS SECRET DÉFENSE  | NATO, FVEY | GOVERNMENT   |
    | contractor-fra | SECRET DÉFENSE       | NATO       | INDUSTRY     |
  Every backend holds eight resources doc-<CODE>-001 … 008 (001 and 002
  releasable to industry; 003 SECRET for COI NATO; 004 TOP_SECRET for FVEY;
  005 national eyes only; 006 government only; 007 SECRET; 008 TOP_SECRET).

  Background:
    Given the federation of hub "USA" with spokes "FRA" and "GBR" is deployed and registered

  # ------------------------------------------------------------------ hub → spoke

  Scenario: 01 hub→spoke authentication
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the access token verifies against the keys of realm "dive-v3-broker-fra"
    And the token's issuer is realm "dive-v3-broker-fra" of spoke "FRA"
    And the token's "uniqueID" is "testuser-usa-3@usa"

  Scenario: 02 hub→spoke API access
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the backend of "FRA" answers the resource list with HTTP 200 for that token
    And the backend of "FRA" answers the resource list with HTTP 401 without a token

  Scenario: 03 hub→spoke clearance mapping
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the token's "clearance" is "SECRET"

  Scenario: 04 hub→spoke country mapping
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the token's "countryOfAffiliation" is "USA"

  Scenario: 05 hub→spoke COI mapping
    When "testuser-usa-5" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the token's "acpCOI" is exactly "NATO, FVEY"

  Scenario: 06 hub→spoke token refresh, and refusal after logout
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then a refresh grant returns a new token for the same subject with a later expiry
    And after logout the refresh token is refused with "invalid_grant"

  Scenario: 07 hub→spoke forged token
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the backend of "FRA" refuses the token re-signed with another key under the realm's key id, with HTTP 401 saying "signature"

  Scenario: 08 hub→spoke expired token
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the backend of "FRA" refuses a genuinely expired token of realm "dive-v3-broker-fra", with HTTP 401 saying "Expired"

  Scenario: 09 hub→spoke OPA authorization
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then the resource list of "FRA" holds exactly "doc-FRA-001, doc-FRA-002, doc-FRA-003, doc-FRA-006, doc-FRA-007"

  Scenario: 10 hub→spoke releasability
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    Then "doc-FRA-005" at "FRA" is refused with HTTP 403 saying "country USA is not in releasabilityTo"

  # ------------------------------------------------------------------ spoke → hub

  Scenario: 11 spoke→hub authentication
    When "testuser-fra-3" of spoke "FRA" signs in at the hub through "fra-idp"
    Then the access token verifies against the keys of realm "dive-v3-broker-usa"
    And the token's issuer is realm "dive-v3-broker-usa" of the hub
    And the token's "uniqueID" is "testuser-fra-3@fra"

  Scenario: 12 spoke→hub API access
    When "testuser-fra-3" of spoke "FRA" signs in at the hub through "fra-idp"
    Then the backend of "USA" answers the resource list with HTTP 200 for that token
    And the backend of "USA" answers the resource list with HTTP 401 without a token

  Scenario: 13 spoke→hub country
    When "testuser-fra-3" of spoke "FRA" signs in at the hub through "fra-idp"
    Then the token's "countryOfAffiliation" is "FRA"

  Scenario: 14 spoke→hub clearance normalisation
    When "testuser-fra-3" of spoke "FRA" signs in at the hub through "fra-idp"
    Then the token's "clearance" is "SECRET DÉFENSE"
    And "doc-USA-007" at "USA" is allowed with HTTP 200 saying "all ACP-240 conditions met"
    When "testuser-fra-2" of spoke "FRA" signs in at the hub through "fra-idp"
    Then "doc-USA-007" at "USA" is refused with HTTP 403 saying "clearance CONFIDENTIAL is below classification SECRET"

  Scenario: 15 spoke→hub COI
    When "testuser-fra-5" of spoke "FRA" signs in at the hub through "fra-idp"
    Then the token's "acpCOI" is exactly "NATO, FVEY"

  Scenario: 16 spoke→hub uniqueID preserved
    When "testuser-fra-4" of spoke "FRA" signs in at the hub through "fra-idp"
    Then the token's "uniqueID" equals the one spoke "FRA" itself issues for "testuser-fra-4"

  Scenario: 17 spoke→hub authorization
    When "testuser-fra-3" of spoke "FRA" signs in at the hub through "fra-idp"
    Then "doc-USA-003" at "USA" is allowed with HTTP 200 saying "all ACP-240 conditions met"
    And the answer carries the content of "doc-USA-003"

  Scenario: 18 spoke→hub classification
    When "testuser-fra-3" of spoke "FRA" signs in at the hub through "fra-idp"
    Then "doc-USA-008" at "USA" is refused with HTTP 403 saying "clearance SECRET is below classification TOP_SECRET"

  Scenario: 19 spoke→hub releasability
    When "testuser-fra-3" of spoke "FRA" signs in at the hub through "fra-idp"
    Then "doc-USA-005" at "USA" is refused with HTTP 403 saying "country FRA is not in releasabilityTo"

  Scenario: 20 spoke→hub industry user
    When "contractor-fra" of spoke "FRA" signs in at the hub through "fra-idp"
    Then the token's "organizationType" is "INDUSTRY"
    And the resource list of "USA" holds exactly "doc-USA-001, doc-USA-002"
    And "doc-USA-006" at "USA" is refused with HTTP 403 saying "resource is not releasable to industry"

  # ------------------------------------------------------------------ across the federation

  Scenario: 21 triangle routing
    When "testuser-fra-3" of spoke "FRA" signs in at spoke "GBR" through the hub
    Then the token's issuer is realm "dive-v3-broker-gbr" of spoke "GBR"
    And the token's "countryOfAffiliation" is "FRA"
    And the backend of "GBR" answers the resource list with HTTP 200 for that token

  Scenario: 22 simultaneous sessions
    When "testuser-fra-4" of spoke "FRA" and "testuser-gbr-4" of spoke "GBR" are both signed in at the hub
    Then each of their tokens carries its own country, "FRA" and "GBR"
    And after "testuser-fra-4" logs out, the refresh token of "testuser-gbr-4" still works and that of "testuser-fra-4" is refused

  Scenario: 23 bidirectional SSO
    When "testuser-usa-4" of the hub signs in at spoke "FRA" through "usa-idp"
    And the same person then signs in at spoke "GBR" through "usa-idp"
    Then the second sign-in showed no password form
    And the token's "uniqueID" is "testuser-usa-4@usa"

  Scenario: 24 links recorded
    Then the hub lists spokes "FRA" and "GBR" as approved
    And the hub realm has identity providers "fra-idp" and "gbr-idp", and each spoke realm has "usa-idp"

  Scenario: 25 heartbeats recorded
    Then the hub recorded a heartbeat from "FRA" and from "GBR" within the last 15 seconds

  Scenario: 26 status view
    Then the status of spokes "FRA" and "GBR" reads approved, active and bidirectional

  Scenario: 27 SSO latency
    Then the average of 5 brokered logins of "testuser-usa-3" at spoke "FRA", each in a new session after one warm-up, is printed and under 500 ms
