@spoke @resilience
Feature: A deployment survives interruption: checkpoints, resume, timeouts and cleanup
  The seed's spoke was interrupted during stage 4: the KAS container was never
  created and nothing noticed. Here the harness itself is interrupted, killed
  and run out of time, and each time the outcome is stated: what its state
  file says, what is left running, and what the next run does about it.
  A separate harness process does the deploying, so that it can be sent
  signals the way a user's Ctrl-C or a CI runner's cancel sends them.

  Background:
    Given the hub "USA" named "Coalition Hub" is running
    And spoke "FRA" named "France Defence" is initialised from the spoke template
    And the hub has issued spoke "FRA" its OPAL client token

  Scenario: Interrupted during stage 4, the next deployment resumes at stage 4
    Given a harness process deploys the spoke, keeping what runs if it is interrupted
    When it receives SIGTERM during stage 4
    Then it exits with code 143
    And the state file says the deployment was interrupted by SIGTERM at stage 4, and kept
    And the state file records stages 1, 2 and 3 as completed, each service with its image id
    And the containers of stages 1, 2 and 3 are still running
    When the spoke is deployed again
    Then the deployment resumed at stage 4, reusing the containers of stages 1, 2 and 3
    And all nine services of the spoke exist and are healthy
    And the state file says the deployment is complete

  Scenario: After an interruption, a stage whose definition changed is deployed again
    Given a harness process deploys the spoke, keeping what runs if it is interrupted
    When it receives SIGTERM during stage 3
    Then it exits with code 143
    And the state file records stages 1 and 2 as completed, each service with its image id
    When a variant of the template where opal-client gets the extra setting "OPAL_LOG_LEVEL" = "INFO" is deployed again
    Then the deployment resumed at stage 2, reusing the containers of stage 1
    And all nine services of the spoke exist and are healthy

  Scenario: A failed stage, kept for inspection, is rolled back on its own when deploying again
    Given a variant of the template where the "keycloak" health check can never pass and its start budget is 3 seconds
    And a harness process deploys that variant, keeping it if it fails
    Then it exits with code 1
    And the state file says the deployment failed at stage 3, naming "keycloak-fra"
    And the state file records stages 1 and 2 as completed, each service with its image id
    And the containers of stages 1 and 2 are still running
    When the spoke is deployed again
    Then the deployment resumed at stage 3, reusing the containers of stages 1 and 2
    And all nine services of the spoke exist and are healthy

  Scenario: Interrupted with the default settings, the harness removes what it created
    Given a harness process deploys the spoke with the default settings
    When it receives SIGTERM during stage 3
    Then it exits with code 143
    And the state file says the deployment was interrupted by SIGTERM at stage 3, and removed
    And nothing labelled with that process's run remains

  Scenario: Killed with SIGKILL, the harness leaves containers that the next run's sweep removes
    Given a container, a network and a volume that do not carry the project's label
    And a harness process deploys the spoke with the default settings
    When it is killed with SIGKILL once "postgres-fra" is healthy
    Then containers labelled with that process's run are left behind
    When the next run sweeps what earlier runs left
    Then nothing labelled with that process's run remains
    And the container, the network and the volume without the project's label are still there

  Scenario: Reuse mode verifies a running spoke without redeploying it
    Given a harness process has deployed the spoke and left it running
    When another harness process verifies it in reuse mode
    Then it exits with code 0 and says "verified without redeploying"
    And the verification took less than 30 seconds
    And no container of the spoke was created or recreated by the verification

  Scenario: Reuse mode refuses when there is no complete deployment to verify
    Given a harness process deploys the spoke with the default settings
    When it receives SIGTERM during stage 2
    Then it exits with code 143
    When another harness process verifies it in reuse mode
    Then it exits with code 1 and says "no complete, healthy one to verify"
    And nothing labelled with that process's run remains

  Scenario: A service that never becomes healthy is named when its start budget runs out
    Given a variant of the template where the "opa" health check can never pass and its start budget is 3 seconds
    When the variant is deployed with services opa
    Then the deployment fails, naming "opa-fra" and saying "within its start budget of 3 s"

  Scenario: A budget from the timeouts file overrides the template and is named when it runs out
    Given a variant of the template where the "opa" health check can never pass and its start budget is 90 seconds
    And the instance's timeouts file says "service.opa-fra=2s"
    When the variant is deployed with services opa
    Then the deployment fails, naming "opa-fra" and saying "within its start budget of 2 s (deploy-timeouts.properties service.opa-fra)"

  Scenario: A stage budget from the timeouts file bounds all the services of the stage together
    Given a variant of the template where the "opa" health check can never pass and its start budget is 90 seconds
    And the instance's timeouts file says "stage.1=3s"
    When the variant is deployed with services opa
    Then the deployment fails, naming "opa-fra" and saying "within the budget of stage 1, 3 s (deploy-timeouts.properties stage.1)"

  Scenario: A timeouts file with a bad value is refused before anything is created
    Given the instance's timeouts file says "kind.keycloak=soon"
    When the whole spoke is deployed with that timeouts file
    Then the deployment fails, saying "kind.keycloak" and "is not a duration"
    And nothing labelled with the spoke's deployment exists

  Scenario: Every failing service of a stage is reported, not just the first, in one table
    Given a variant of the template where "redis" and "opa" exit as soon as they start
    When the variant is deployed with services redis and opa
    Then the deployment fails, naming "redis-fra" and saying "exited with code 1"
    And the deployment failure also names "opa-fra"
    And the failure table has one row for "redis-fra" and one for "opa-fra"
