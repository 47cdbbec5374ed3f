@spoke
Feature: Spokes of different nations run side by side
  Each nation's spoke has its own containers, ports, networks and volumes,
  and its own secrets. Deploying GBR next to FRA must not disturb FRA.

  Scenario: Two spokes run side by side without clashing
    Given spoke "FRA" named "France Defence" is initialised from the spoke template
    And spoke "GBR" named "United Kingdom" is initialised from the spoke template
    When spokes "FRA" and "GBR" are both running their data services
    Then the two deployments share no container name, host port, network or volume
    And each spoke's Postgres answers with its own password and refuses the other's
