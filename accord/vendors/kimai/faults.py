"""Kimai fault catalogue: one deliberate deviation per documented clause.

Every clause in contracts/kimai/clauses.yaml has at least one fault here, and accord's own tests
run the suite against each fault to prove the clause's check fails when the vendor deviates.
"""

from accord.simulate import Fault, FaultCatalogue

CATALOGUE = FaultCatalogue(
    # auth
    Fault("legacy-headers-rejected", "kimai.auth.api-user-token-accepted",
          "X-AUTH-USER/X-AUTH-TOKEN credentials are refused with 401, as if only bearer tokens existed"),
    Fault("bearer-rejected", "kimai.auth.bearer-token-accepted", "Authorization: Bearer tokens are refused"),
    Fault("missing-auth-accepted", "kimai.auth.missing-credentials-rejected",
          "requests without any credentials are served as the test user"),
    Fault("wrong-token-accepted", "kimai.auth.wrong-token-rejected", "any token is accepted for a known user"),
    Fault("wrong-user-accepted", "kimai.auth.wrong-user-rejected", "X-AUTH-USER is ignored when the token is right"),
    # list
    Fault("list-stalls", "kimai.customers.list.returns-collection",
          "GET /api/customers without parameters answers after 1.5 s (a run with --timeout 1 must say error)"),
    Fault("list-wrapped", "kimai.customers.list.returns-collection",
          "the list comes wrapped in an object {\"items\": [...]} instead of a bare array"),
    Fault("visible-filter-ignored", "kimai.customers.list.visible-filter", "the visible parameter is ignored"),
    Fault("visible-default-all", "kimai.customers.list.visible-default", "without visible, hidden customers are listed too"),
    Fault("order-ignored", "kimai.customers.list.order", "order=DESC is ignored"),
    Fault("order-by-ignored", "kimai.customers.list.order-by", "orderBy is ignored; the list is always by name"),
    Fault("term-ignored", "kimai.customers.list.term-search", "the term parameter is ignored"),
    Fault("invalid-parameter-ignored", "kimai.customers.list.invalid-parameter-rejected",
          "visible, order and orderBy values outside the allowed ones are silently ignored"),
    # read
    Fault("billable-as-string", "kimai.customers.get.returns-entity",
          "GET /api/customers/{id} returns billable as \"yes\"/\"no\""),
    Fault("get-answers-html", "kimai.customers.get.returns-entity", "GET /api/customers/{id} answers 200 with an HTML page"),
    Fault("unknown-id-500", "kimai.customers.get.unknown-id-not-found", "an unknown customer id answers 500"),
    # create
    Fault("create-answers-201", "kimai.customers.create.returns-entity", "POST /api/customers answers 201 instead of 200"),
    Fault("id-as-string", "kimai.customers.create.returns-entity", "customer ids are returned as strings"),
    Fault("markup-in-name", "kimai.customers.create.read-back",
          "customers read back with HTML/JS markup in name and comment instead of the stored values"),
    Fault("list-drops-newest", "kimai.customers.create.listed", "the most recently created customer is missing from the list"),
    Fault("name-only-rejected", "kimai.customers.create.name-only",
          "a form without country, currency and timezone is refused with 400"),
    Fault("number-ignored", "kimai.customers.create.valid-forms-accepted",
          "a customer number sent in the form is replaced by an auto-assigned one"),
    Fault("invalid-form-accepted", "kimai.customers.create.invalid-forms-rejected",
          "POST /api/customers skips field validation and stores whatever it gets"),
    Fault("extra-fields-accepted", "kimai.customers.create.extra-fields-rejected", "unknown keys in a form are ignored"),
    # update
    Fault("update-answers-204", "kimai.customers.update.returns-entity", "PATCH answers 204 without the entity"),
    Fault("patch-replaces", "kimai.customers.update.partial-merge",
          "PATCH replaces the customer: attributes not sent are reset to their defaults"),
    Fault("update-not-persisted", "kimai.customers.update.persists", "PATCH answers the merged entity but does not save it"),
    Fault("update-invalid-accepted", "kimai.customers.update.invalid-rejected", "PATCH skips field validation"),
    Fault("update-unknown-500", "kimai.customers.update.unknown-id-not-found", "PATCH on an unknown id answers 500"),
    # meta
    Fault("meta-not-persisted", "kimai.customers.meta.sets-value", "meta-field values are answered but not saved"),
    Fault("unknown-meta-accepted", "kimai.customers.meta.unknown-field-not-found", "any meta-field name is accepted"),
    Fault("meta-incomplete-accepted", "kimai.customers.meta.incomplete-body-rejected",
          "a meta body without value is accepted and stores null"),
    # rates
    Fault("rates-reset-connection", "kimai.customers.rates.list-returns-collection",
          "GET /api/customers/{id}/rates closes the connection without an answer"),
    Fault("rates-list-wrapped", "kimai.customers.rates.list-returns-collection", "the rates list is wrapped in an object"),
    Fault("rate-fixed-as-string", "kimai.customers.rates.add-returns-rate", "a created rate carries isFixed as a string"),
    Fault("rates-leak-across-customers", "kimai.customers.rates.added-is-listed",
          "GET /api/customers/{id}/rates lists the rates of every customer"),
    Fault("negative-rate-accepted", "kimai.customers.rates.invalid-rejected", "negative rates and missing rates are accepted"),
    Fault("rate-delete-answers-200", "kimai.customers.rates.delete-empty-204", "rate DELETE answers 200 with a JSON body"),
    Fault("rate-delete-any-customer", "kimai.customers.rates.delete-other-customer-refused",
          "a rate is deleted through any customer id, not only its own"),
    # responses in general
    Fault("json-as-text-plain", "kimai.responses.json-content-type", "JSON bodies are sent as text/plain"),
    Fault("errors-as-html", "kimai.responses.error-body", "4xx errors come as an HTML page"),
    Fault("empty-term-500", "kimai.responses.no-server-error", "an empty term parameter crashes the list with 500"),
    Fault("rates-list-answers-203", "kimai.responses.documented-status", "the rates list answers 203 instead of 200"),
    Fault("list-currency-number", "kimai.responses.schema-conformance", "list items carry currency as a number"),
    Fault("malformed-json-500", "kimai.responses.malformed-json-rejected", "a body that is not JSON answers 500"),
    # extension
    Fault("delete-keeps-customer", "kimai.customers.delete.extension", "DELETE answers 204 but the customer stays"),
)
