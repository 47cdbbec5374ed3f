@policy
Feature: Policies reach every spoke's OPA through OPAL, and nothing else
  A spoke's OPA has no policy of its own: the hub's OPAL server serves the
  ACP-240 policy from its repository and the spoke's OPAL client pushes it
  into the spoke's OPA. An OPA with no policy is healthy and useless, so the
  checks look for the policy and its decisions, not for /health.

  Scenario: The ACP-240 policy passes its own OPA unit tests
    When the policy unit tests are run with the kit's OPA
    Then every policy unit test passes

  @negative
  Scenario: A broken rule fails the policy unit tests
    Given a copy of the policies where clearance is no longer compared with classification
    When the policy unit tests are run with the kit's OPA on that copy
    Then the policy unit tests fail, naming "test_clearance_below_classification_is_denied"

  @main
  Scenario: A policy change published at the hub reaches the spoke's OPA
    Given the hub "USA" named "Coalition Hub" is running
    And spoke "FRA" named "France Defence" is initialised from the spoke template
    And the hub has issued spoke "FRA" its OPAL client token
    And the whole spoke is deployed stage by stage
    When a new policy version is published in the hub's policy repository
    Then within 30 seconds the spoke's OPA answers with the new policy version
    And the time from publication to the spoke's OPA is printed
