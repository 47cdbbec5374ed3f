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

industry := {"organizationType": "INDUSTRY"}

test_industry_allowed_when_releasable_to_industry if {
	r := resource({"releasableToIndustry": true})
	authz.allow with input as request(subject(industry), r) with data.federation as trusted
	authz.reason == "all ACP-240 conditions met" with input as request(subject(industry), r) with data.federation as trusted
}

test_industry_label_is_case_insensitive if {
	r := resource({"releasableToIndustry": false})
	not authz.allow with input as request(subject({"organizationType": "industry"}), r) with data.federation as trusted
}

test_industry_denied_when_not_releasable_to_industry if {
	r := resource({"releasableToIndustry": false})
	not authz.allow with input as request(subject(industry), r) with data.federation as trusted
	authz.reason == "resource is not releasable to industry" with input as request(subject(industry), r) with data.federation as trusted
}

test_industry_denied_when_flag_absent if {
	r := resource({})
	authz.reason == "resource is not releasable to industry" with input as request(subject(industry), r) with data.federation as trusted
}

test_industry_denied_when_flag_not_a_boolean_true if {
	r := resource({"releasableToIndustry": "true"})
	authz.reason == "resource is not releasable to industry" with input as request(subject(industry), r) with data.federation as trusted
}

test_industry_reason_joins_other_reasons if {
	r := resource({"classification": "TOP_SECRET", "releasableToIndustry": false})
	authz.reason == "clearance SECRET is below classification TOP_SECRET; resource is not releasable to industry" with input as request(subject(industry), r) with data.federation as trusted
}

test_non_industry_unaffected_by_industry_flag if {
	r := resource({"releasableToIndustry": false})
	authz.allow with input as request(subject({"organizationType": "GOVERNMENT"}), r) with data.federation as trusted
	authz.allow with input as request(subject({"organizationType": "MILITARY"}), r) with data.federation as trusted
	authz.allow with input as request(subject({}), r) with data.federation as trusted
	authz.allow with input as request(subject({"organizationType": null}), r) with data.federation as trusted
}

test_existing_reason_texts_unchanged if {
	r := resource({"releasabilityTo": ["USA"], "COI": []})
	authz.reason == "country FRA is not in releasabilityTo [\"USA\"]" with input as request(subject({}), r) with data.federation as trusted
	authz.reason == "clearance CONFIDENTIAL is below classification SECRET" with input as request(subject({"clearance": "CONFIDENTIEL DÉFENSE"}), resource({})) with data.federation as trusted
	authz.reason == sprintf("issuer %s is not trusted", [fra_issuer]) with input as request(subject({}), resource({}))
}
