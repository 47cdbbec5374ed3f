package dive.authz_test

import data.dive.authz

fra_issuer := "http://localhost:8443/realms/dive-v3-broker-fra"

subject(overrides) := object.union({
	"uniqueID": "testuser-fra-3@fra",
	"clearance": "SECRET DÉFENSE",
	"countryOfAffiliation": "FRA",
	"acpCOI": ["NATO"],
	"issuer": fra_issuer,
}, overrides)

resource(overrides) := object.union({
	"resourceId": "doc-1",
	"classification": "SECRET",
	"releasabilityTo": ["FRA", "USA"],
	"COI": ["NATO"],
}, overrides)

request(s, r) := {
	"subject": s,
	"action": {"operation": "read"},
	"resource": r,
	"context": {"currentTime": "2026-11-26T20:00:00Z", "requestId": "t"},
}

trusted := {"trusted_issuers": [fra_issuer]}

test_national_secret_reads_nato_secret if {
	authz.allow with input as request(subject({}), resource({})) with data.federation as trusted
}

test_national_label_is_normalised if {
	authz.normalized_clearance == "CONFIDENTIAL" with input as request(subject({"clearance": "CONFIDENTIEL DÉFENSE"}), resource({}))
}

test_clearance_below_classification_is_denied if {
	not authz.allow with input as request(subject({"clearance": "CONFIDENTIEL DÉFENSE"}), resource({})) with data.federation as trusted
	contains(authz.reason, "below classification") with input as request(subject({"clearance": "CONFIDENTIEL DÉFENSE"}), resource({})) with data.federation as trusted
}

test_releasability_denial if {
	r := resource({"releasabilityTo": ["USA", "GBR"]})
	not authz.allow with input as request(subject({}), r) with data.federation as trusted
	contains(authz.reason, "not in releasabilityTo") with input as request(subject({}), r) with data.federation as trusted
}

test_coi_overlap_required if {
	not authz.allow with input as request(subject({"acpCOI": []}), resource({})) with data.federation as trusted
	authz.allow with input as request(subject({"acpCOI": []}), resource({"COI": []})) with data.federation as trusted
}

test_untrusted_issuer_is_denied if {
	not authz.allow with input as request(subject({}), resource({}))
	contains(authz.reason, "is not trusted") with input as request(subject({}), resource({}))
}

test_unknown_clearance_is_denied if {
	not authz.allow with input as request(subject({"clearance": "WHATEVER"}), resource({})) with data.federation as trusted
}
