@sso @browser @main
Feature: A person signs in with a real browser
  Headless Chromium (Debian's, driven by Selenium; nothing downloaded at run
  time) opens the FRA frontend, chooses the coalition hub as identity
  provider, signs in there as a USA user, and comes back to a page that shows
  who they are and what they may read.

  Background:
    Given the federation of hub "USA" with spokes "FRA" and "GBR" is deployed and registered

  Scenario: A USA user signs in at the FRA frontend through the hub and sees their attributes and resources
    When "testuser-usa-3" of the hub signs in with a browser at the frontend of "FRA", choosing "usa-idp"
    Then the page shows country "USA" and clearance "SECRET"
    And the page lists exactly the resources "doc-FRA-001, doc-FRA-002, doc-FRA-003, doc-FRA-006, doc-FRA-007"
    And a screenshot of the page is attached to the report
