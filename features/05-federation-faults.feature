@federation @negative
Feature: The hub refuses bad registrations and forged heartbeats
  Each request below is wrong in one way, and the hub must say so and
  record nothing.

  Background:
    Given the hub "USA" named "Coalition Hub" is running
    And spoke "GBR" named "United Kingdom" is initialised from the spoke template

  Scenario: A registration with a bad instance code is refused
    When a registration for instance code "GB1" is sent to the hub
    Then the hub answers HTTP 400 naming "instanceCode"

  Scenario: A duplicate registration is refused
    When spoke "GBR" sends its registration to the hub
    Then the hub answers HTTP 201 saying "spoke-gbr-"
    When spoke "GBR" sends its registration to the hub a second time
    Then the hub answers HTTP 409 saying "already registered"

  Scenario: A heartbeat with a token the hub never issued is refused and not recorded
    When a heartbeat for spoke "GBR" is sent to the hub with a token it never issued
    Then the hub answers HTTP 401 and records no heartbeat from "GBR"
