import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from municipalities import access
from municipalities.models import AddressField, Membership, Organization, address_from
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    SchoolFactory,
)

pytestmark = pytest.mark.django_db


def test_a_school_belongs_to_its_municipality():
    school = SchoolFactory()

    assert list(school.parent.children.all()) == [school]


def test_an_organization_cannot_be_its_own_parent():
    organization = OrganizationFactory()
    organization.parent = organization

    with pytest.raises(ValidationError) as error:
        organization.full_clean()

    assert error.value.message_dict["parent"] == ["En organisation kan ikke høre under sig selv."]


def test_a_member_joins_a_network_once():
    membership = NetworkMembershipFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkMembershipFactory(network=membership.network, member=membership.member)


def test_only_networks_have_members():
    membership = NetworkMembershipFactory.build(
        network=OrganizationFactory(), member=OrganizationFactory()
    )

    with pytest.raises(ValidationError) as error:
        membership.full_clean()

    assert error.value.message_dict["network"] == ["Vælg et netværk eller en forening."]


def test_networks_lists_only_networks():
    network = NetworkFactory()
    OrganizationFactory()

    assert list(Organization.objects.networks()) == [network]


def test_organizations_cannot_come_to_hang_under_each_other_at_any_depth():
    municipality = OrganizationFactory()
    school = SchoolFactory(parent=municipality)
    department = SchoolFactory(parent=school)
    municipality.parent = department

    with pytest.raises(ValidationError) as error:
        municipality.full_clean()

    assert error.value.message_dict["parent"] == [
        "Organisationerne ville komme til at høre under hinanden."
    ]


def test_an_editor_of_a_municipality_covers_every_level_below_it():
    municipality = OrganizationFactory()
    school = SchoolFactory(parent=municipality)
    department = SchoolFactory(parent=school)
    team = SchoolFactory(parent=department)
    elsewhere = SchoolFactory()
    editor = MembershipFactory(organization=municipality, role=Membership.Role.EDITOR).user

    scope = access.editor_scope(editor)

    assert {municipality.pk, school.pk, department.pk, team.pk} <= scope.ids
    assert elsewhere.pk not in scope
    assert elsewhere.parent_id not in scope


@pytest.mark.parametrize(
    ("text", "taken", "address"),
    [
        ("Flere elever i 2028", [], "flere-elever-i-2028"),
        ("Flere elever i 2028", ["flere-elever-i-2028"], "flere-elever-i-2028-2"),
        (
            "Flere elever i 2028",
            ["flere-elever-i-2028", "flere-elever-i-2028-2"],
            "flere-elever-i-2028-3",
        ),
        (
            "Alle praktikvejledere er uddannet som vejledere, og alle elever tilbydes et forløb",
            [],
            "alle-praktikvejledere-er-uddannet-som-vejledere-og",
        ),
        ("Ændring af årets mål", [], "aendring-af-aarets-maal"),
        ("Förändring för lärcentra", [], "forandring-for-larcentra"),
        ("!!!", [], "side"),
    ],
)
def test_an_address_is_made_of_the_first_words_and_never_taken(text, taken, address):
    assert address_from(text, taken) == address


def test_an_address_that_is_no_address_is_explained_without_the_word_slug():
    field = AddressField()

    with pytest.raises(ValidationError) as error:
        field.run_validators("Flere elever!")

    assert error.value.messages == [
        "Adressen må kun have bogstaver (a–z), tal og bindestreger, fx flere-elever-i-2028."
    ]
