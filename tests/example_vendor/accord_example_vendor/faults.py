"""acme's planted faults: each breaks exactly one clause."""

from accord.simulate import Fault, FaultCatalogue

CATALOGUE = FaultCatalogue(
    Fault("login-not-required", "acme.auth.session-required", "every request is served without a session"),
    Fault("create-answers-200", "acme.contacts.create.returns-201", "a create answers 200 instead of 201"),
    Fault("name-not-required", "acme.contacts.create.invalid-forms-rejected", "a contact without a name is created"),
    Fault("phone-pattern-ignored", "acme.contacts.create.invalid-forms-rejected", "any phone value is stored"),
    Fault("email-dropped", "acme.contacts.create.valid-forms-accepted", "the email of a created contact is not stored"),
    Fault("multipart-refused", "acme.contacts.create.multipart-accepted", "a multipart/form-data create answers 415"),
    Fault("update-replaces", "acme.contacts.update.partial", "an update clears the fields it does not name"),
    Fault("paging-skips-one", "acme.contacts.list.paging-complete", "next_offset skips the first contact of each next page"),
    Fault("delete-ignored", "acme.contacts.delete.removes", "DELETE answers 200 and keeps the contact"),
    Fault("unknown-id-500", "acme.contacts.get.unknown-404", "an unknown id answers 500"),
    Fault("q-ignored", "acme.contacts.list.q-filter", "the list ignores q and answers every contact"),
    Fault("empty-query-500", "acme.responses.no-server-error", "an empty q crashes the list with 500"),
    Fault("update-answers-202", "acme.responses.documented-status", "an update answers 202"),
    Fault("id-as-string", "acme.responses.schema-conformance", "contacts carry their id as a string"),
    Fault("other-account-visible", "acme.contacts.get.account-isolation", "a contact is readable through another account's path"),
)
