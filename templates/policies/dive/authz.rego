# ACP-240 attribute-based access control for DIVE V3 (contract: OPA and OPAL).
# Decision: POST /v1/data/dive/authz → {allow, reason, ...}
package dive.authz

# The NATO clearance scale, and each nation's labels mapped onto it.
clearance_rank := {"UNCLASSIFIED": 0, "CONFIDENTIAL": 1, "SECRET": 2, "TOP_SECRET": 3}

national_labels := {
	# France
	"NON CLASSIFIÉ": "UNCLASSIFIED",
	"DIFFUSION RESTREINTE": "UNCLASSIFIED",
	"CONFIDENTIEL DÉFENSE": "CONFIDENTIAL",
	"SECRET DÉFENSE": "SECRET",
	"TRÈS SECRET DÉFENSE": "TOP_SECRET",
	# United Kingdom
	"OFFICIAL": "UNCLASSIFIED",
	"OFFICIAL-SENSITIVE": "CONFIDENTIAL",
	# Germany
	"OFFEN": "UNCLASSIFIED",
	"VS-VERTRAULICH": "CONFIDENTIAL",
	"GEHEIM": "SECRET",
	"STRENG GEHEIM": "TOP_SECRET",
	# already on the NATO scale
	"UNCLASSIFIED": "UNCLASSIFIED",
	"CONFIDENTIAL": "CONFIDENTIAL",
	"SECRET": "SECRET",
	"TOP_SECRET": "TOP_SECRET",
	"TOP SECRET": "TOP_SECRET",
}

# Issuers whose tokens are trusted: what the hub publishes as data under
# data.federation.trusted_issuers (a list of issuer URLs), e.g. after a spoke
# registers. Kept outside data.dive so the policy does not depend on itself.
trusted_issuers contains i if {
	some i in data.federation.trusted_issuers
}

subject_clearance := national_labels[upper(input.subject.clearance)]

normalized_clearance := c if {
	c := subject_clearance
} else := "UNKNOWN"

subject_cois := {c | some c in object.get(input.subject, "acpCOI", [])}

resource_cois := {c | some c in object.get(input.resource, "COI", [])}

deny_reasons contains "subject has no recognised clearance" if {
	normalized_clearance == "UNKNOWN"
}

deny_reasons contains "unknown resource classification" if {
	not clearance_rank[input.resource.classification]
}

deny_reasons contains sprintf("clearance %s is below classification %s", [normalized_clearance, input.resource.classification]) if {
	clearance_rank[normalized_clearance] < clearance_rank[input.resource.classification]
}

deny_reasons contains sprintf("country %s is not in releasabilityTo %v", [input.subject.countryOfAffiliation, input.resource.releasabilityTo]) if {
	not input.subject.countryOfAffiliation in {c | some c in object.get(input.resource, "releasabilityTo", [])}
}

deny_reasons contains sprintf("no COI overlap: subject %v, resource %v", [subject_cois, resource_cois]) if {
	count(resource_cois) > 0
	count(subject_cois & resource_cois) == 0
}

deny_reasons contains sprintf("issuer %s is not trusted", [input.subject.issuer]) if {
	not input.subject.issuer in trusted_issuers
}

# Industry (contractor) subjects see only what is marked releasable to industry.
# An absent organizationType is not industry.
subject_is_industry if {
	org := object.get(input.subject, "organizationType", null)
	is_string(org)
	upper(org) == "INDUSTRY"
}

deny_reasons contains "resource is not releasable to industry" if {
	subject_is_industry
	object.get(input.resource, "releasableToIndustry", false) != true
}

deny_reasons contains sprintf("operation %s is not permitted", [input.action.operation]) if {
	not input.action.operation in {"read", "decrypt", "list"}
}

default allow := false

allow if count(deny_reasons) == 0

reason := "all ACP-240 conditions met" if allow

reason := concat("; ", sort([r | some r in deny_reasons])) if not allow
