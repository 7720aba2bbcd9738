"""Personas, as healthchecks has Alice, Bob and Charlie.

- inspector: Ivy, an inspector on the Northshire inspection, assigned its case NS-001
- other_inspector: Otto, an inspector on a different inspection only
- lead: Lena, the lead inspector of Northshire
- editor: Ed, the editor of Northshire
- admin: Ada, a staff administrator on no team
"""

import pytest
from django.test import Client

from inspection.models import Role
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory


@pytest.fixture
def inspection(db):
    return InspectionFactory(area_name="Northshire", slug="northshire")


@pytest.fixture
def other_inspection(db):
    return InspectionFactory(area_name="Southshire", slug="southshire")


def _member(inspection, username, role):
    return MembershipFactory(
        inspection=inspection, user=UserFactory(username=username), role=role
    ).user


@pytest.fixture
def inspector(inspection):
    return _member(inspection, "ivy", Role.INSPECTOR)


@pytest.fixture
def other_inspector(other_inspection):
    return _member(other_inspection, "otto", Role.INSPECTOR)


@pytest.fixture
def lead(inspection):
    return _member(inspection, "lena", Role.LEAD_INSPECTOR)


@pytest.fixture
def editor(inspection):
    return _member(inspection, "ed", Role.EDITOR)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


@pytest.fixture
def case(inspection, inspector):
    return CaseFactory(inspection=inspection, case_ref="NS-001", assigned_inspector=inspector)


@pytest.fixture
def other_case(other_inspection):
    return CaseFactory(inspection=other_inspection, case_ref="SS-001")


PERSONAS = ["inspector", "other_inspector", "lead", "editor", "admin_user"]


@pytest.fixture
def as_persona(request):
    """A logged-in test client for a persona named by its fixture."""

    def login(name: str) -> Client:
        client = Client()
        client.force_login(request.getfixturevalue(name))
        return client

    return login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords; tests need none of it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
