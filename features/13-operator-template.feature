@template @negative
Feature: An operator's own compose file: every problem at once, then deployed once fixed
  Operators point the harness at compose files they wrote themselves. A file
  with several mistakes is refused with all of them listed in one run, each
  with its line and what is supported, before anything is created; the same
  file, fixed, loads and deploys.

  Background:
    Given spoke "FRA" named "France Defence" is initialised from the spoke template

  Scenario: A flawed operator file is reported whole, and deploys once fixed
    Given the operator's compose file "spoke-data-services.flawed.yml" is placed in spoke "FRA"
    When the harness loads the operator's file
    Then it is refused, with every problem listed at once:
      | line | says                                         |
      | 9    | restart "sometimes" is not a restart policy  |
      | 13   | ${}                                          |
      | 20   | unsupported key "mem_swapiness"              |
      | 36   | unsupported key "restart_policy"             |
    Given the operator's compose file "spoke-data-services.fixed.yml" is placed in spoke "FRA"
    When the harness loads the operator's file
    Then the operator's file loads, and its services postgres and redis are deployed and healthy
