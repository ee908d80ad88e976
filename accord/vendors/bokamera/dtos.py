"""BokaMera's customer DTOs for ServiceStack's Python client (``servicestack`` 0.1.x), written from
BokaMera's metadata (vendor-docs/bokamera-update-customer.txt, vendor-specs/bokamera/) in the
shape ServiceStack's "Add ServiceStack Reference" generator gives Python: snake_case fields,
camelCase on the wire, unknown keys dropped, every field optional.

Used by accord's own tests to prove that the vendor's own client stack works against the
simulator on both route styles. The client reads camelCase JSON, so callers ask the service for it
with ServiceStack's ``?jsconfig=TextCase:CamelCase`` (BokaMera's default casing is PascalCase).

Routes, as the metadata declares them (the client itself always uses ``/api/{DtoName}``):
UpdateCustomer ``PUT /customers/{Id}``, CreateCustomer ``POST /customers``, DeleteCustomer
``DELETE /customers/{Id}``, CustomerQuery ``GET /customers``.
"""

# ServiceStack's client recognises Optional[...] (typing.Union), not X | None: keep the generator's style.
# ruff: noqa: UP007, UP045

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional  # the client evaluates these annotation strings at run time

from dataclasses_json import LetterCase, Undefined, dataclass_json
from servicestack import IDelete, IGet, IPost, IPut, IReturn, QueryBase, QueryResponse, ResponseStatus

WIRE = dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)


@WIRE
@dataclass
class CustomFieldValueResponse:
    value: Optional[str] = None


@WIRE
@dataclass
class CustomFieldConfigData:
    id: int = 0
    name: Optional[str] = None
    description: Optional[str] = None
    width: Optional[int] = None
    data_type: Optional[str] = None
    default_value: Optional[str] = None
    is_mandatory: bool = False
    mandatory_error_message: Optional[str] = None
    max_length: int = 0
    multiple_line_text: bool = False
    reg_ex: Optional[str] = None
    reg_ex_error_message: Optional[str] = None
    values: Optional[list[CustomFieldValueResponse]] = None


@WIRE
@dataclass
class CustomFieldDataResponse:
    id: int = 0
    column: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    value: Optional[str] = None
    data_type: Optional[str] = None


@WIRE
@dataclass
class CustomerCommentsResponse:
    id: int = 0
    customer_id: Optional[str] = None
    comments: Optional[str] = None
    updated: Optional[str] = None
    created: Optional[str] = None
    image_url: Optional[str] = None


@WIRE
@dataclass
class UserAccessKeys:
    company_id: Optional[str] = None
    access_key_type_id: int = 0
    value: Optional[str] = None
    customer_id: Optional[str] = None
    description: Optional[str] = None
    id: Optional[str] = None


@WIRE
@dataclass
class InvoiceAddress:
    corporate_identity_number: Optional[str] = None
    invoice_address1: Optional[str] = None
    invoice_address2: Optional[str] = None
    invoice_city: Optional[str] = None
    invoice_postal_code: Optional[str] = None
    invoice_country_code: Optional[str] = None


@WIRE
@dataclass
class CustomerQueryResponse:
    id: Optional[str] = None
    firstname: Optional[str] = None
    lastname: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None
    image_url: Optional[str] = None
    custom_fields: Optional[list[CustomFieldConfigData]] = None
    custom_field_values: Optional[list[CustomFieldDataResponse]] = None
    comments: Optional[list[CustomerCommentsResponse]] = None
    access_keys: Optional[list[UserAccessKeys]] = None
    updated: Optional[str] = None
    created: Optional[str] = None
    response_status: Optional[ResponseStatus] = None
    subscribed_to_newsletter: bool = False
    invoice_address: Optional[InvoiceAddress] = None


@WIRE
@dataclass
class UpdateCustomerResponse(CustomerQueryResponse):
    """What CreateCustomer answers (its metadata page lists this type, then CustomerQueryResponse)."""

    facebook_user_name: Optional[str] = None
    user_id: Optional[str] = None
    company_id: Optional[str] = None
    created_date: Optional[str] = None
    deleted_access_keys: Optional[list[UserAccessKeys]] = None
    created_or_updated_access_keys: Optional[list[UserAccessKeys]] = None


@WIRE
@dataclass
class AddCustomField:
    id: int = 0
    value: Optional[str] = None


@WIRE
@dataclass
class AddUserAccessKey:
    id: Optional[str] = None
    company_id: Optional[str] = None
    access_key_type_id: int = 0
    value: Optional[str] = None
    customer_id: Optional[str] = None
    description: Optional[str] = None


@WIRE
@dataclass
class DeleteUserAccessKey:
    id: Optional[str] = None


# @Route("/customers/{Id}", "PUT")
@WIRE
@dataclass
class UpdateCustomer(IReturn[CustomerQueryResponse], IPut):
    company_id: Optional[str] = None
    id: Optional[str] = None
    firstname: Optional[str] = None
    lastname: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    custom_fields: Optional[list[AddCustomField]] = None
    access_keys: Optional[list[AddUserAccessKey]] = None
    access_keys_to_delete: Optional[list[DeleteUserAccessKey]] = None
    subscribed_to_newsletter: Optional[bool] = None
    invoice_address: Optional[InvoiceAddress] = None


# @Route("/customers", "POST")
@WIRE
@dataclass
class CreateCustomer(IReturn[UpdateCustomerResponse], IPost):
    company_id: Optional[str] = None
    customer_id: Optional[str] = None
    firstname: Optional[str] = None
    lastname: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    subscribed_to_newsletter: Optional[bool] = None
    custom_fields: Optional[list[AddCustomField]] = None
    access_keys: Optional[list[AddUserAccessKey]] = None
    invoice_address: Optional[InvoiceAddress] = None


# @Route("/customers/{Id}", "DELETE")
@WIRE
@dataclass
class DeleteCustomer(IReturn[CustomerQueryResponse], IDelete):
    company_id: Optional[str] = None
    id: Optional[str] = None


# @Route("/customers", "GET")
@WIRE
@dataclass
class CustomerQuery(QueryBase, IReturn[QueryResponse[CustomerQueryResponse]], IGet):
    company_id: Optional[str] = None
    customer_id: Optional[str] = None
    search: Optional[str] = None
    include_custom_fields: Optional[bool] = None
    include_custom_field_values: Optional[bool] = None
    include_comments: Optional[bool] = None
    include_access_keys: Optional[bool] = None
    include_invoice_address: Optional[bool] = None
