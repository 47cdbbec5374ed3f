@spoke @negative
Feature: Broken spoke deployments are caught, each for its own reason
  Each scenario deploys a deliberately broken variant of the FRA spoke and
  shows that the check for the outcome it breaks turns red with a message
  that names the cause. A check that cannot fail proves nothing.

  Background:
    Given spoke "FRA" named "France Defence" is initialised from the spoke template

  Scenario: A template that places KAS in no stage
    Given a variant of the template where "kas" has no deployment stage
    When the variant is deployed with services backend, kas and frontend
    Then the check that all services exist fails, naming "kas-fra (in the template, but in no deployment stage)"

  Scenario: The backend started without DATABASE_URL
    Given a variant of the template where the backend gets no "DATABASE_URL"
    When the variant is deployed with services backend
    Then the forbidden-log check fails, quoting "DATABASE_URL not configured"
    And the audit check fails for resource "doc-fra-001", saying "audit_log"

  Scenario: A service whose health check passes for the harness but not for the engine is named as unhealthy
    Given a variant of the template where the "redis" health check passes only once
    When the variant is deployed with services redis
    Then the check that all services are healthy fails, naming "redis-fra" and saying "the engine's own health check said unhealthy"

  Scenario: MongoDB never initiated as a replica set
    Given a variant of the template where MongoDB is never initiated and its start budget is 8 seconds
    When the variant is deployed with services mongodb
    Then the deployment fails, naming "mongodb-fra" and saying "NOT_INITIALIZED"

  Scenario: MongoDB steps down after its health check passed
    Given a variant of the template where nothing is changed
    When the variant is deployed with services backend
    And MongoDB steps down for 4 seconds
    Then the MongoDB primary check fails, saying "myState 2"
    And within 60 seconds MongoDB reports replica set state PRIMARY again
    And the backend reports healthy within 60 seconds

  Scenario: Redis started without its config file
    Given a variant of the template where Redis starts without its config file
    When the variant is deployed with services redis
    Then the forbidden-log check fails, quoting "no config file specified"

  Scenario: An OPAL client with a wrong token is reported as not authenticated
    Given the hub "USA" named "Coalition Hub" is running
    And spoke "FRA" holds an OPAL client token that the hub did not issue
    When the variant is deployed with services opal-client
    Then the deployment fails, naming "opal-client-fra" and saying "HTTP 403"
