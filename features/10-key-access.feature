@sso @kas @main
Feature: KAS releases a resource's key only to someone the policy allows
  Resources carry their content encrypted (AES-256-GCM) for their nation's
  KAS. The KAS releases the data encryption key only when the bearer token
  verifies against its issuer's keys and the ACP-240 policy allows the
  caller; the key must then really decrypt the content.

  Background:
    Given the federation of hub "USA" with spokes "FRA" and "GBR" is deployed and registered

  Scenario: A USA user signed in at FRA decrypts a NATO SECRET resource with the key FRA's KAS releases
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    And that user asks the KAS of "FRA" for the key of "doc-FRA-003"
    Then the KAS releases a key
    And the key decrypts the encrypted content of "doc-FRA-003" read from the backend of "FRA", which reads "ZTDF payload of doc-FRA-003"

  Scenario: A USA user is refused the key of a resource for French eyes only, with the policy's reason
    When "testuser-usa-3" of the hub signs in at spoke "FRA" through "usa-idp"
    And that user asks the KAS of "FRA" for the key of "doc-FRA-005"
    Then the KAS refuses with HTTP 403 saying "country USA is not in releasabilityTo"
    And the answer holds no key material
