"""factory_boy factories for the domain, built on the real Q&I 2016 framework."""

import factory
from django.contrib.auth import get_user_model

from cases.models import Case
from inspection.models import Inspection, Role, TeamMembership
from judgements.framework_loader import load_framework, read_framework_file
from judgements.models import Framework


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")


def qi_2016() -> Framework:
    """The Q&I 2016 framework, as its data migration loads it. A transactional test (the
    browser tests, the races on PostgreSQL) empties every table when it ends, the migration's
    copy included, so a later one loads it again, as the demo loader does."""
    framework = Framework.objects.filter(code="qi-2016").first()
    return framework or load_framework(read_framework_file("qi-2016"))


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    area_name = factory.Sequence(lambda n: f"Area {n}")
    title = factory.LazyAttribute(lambda o: f"Quality & Impact inspection: {o.area_name}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    crc_name = "Example Community Rehabilitation Company"
    nps_name = "National Probation Service example division"
    framework = factory.LazyFunction(qi_2016)
    status = "fieldwork"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    inspection = factory.SubFactory(InspectionFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.INSPECTOR


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    inspection = factory.SubFactory(InspectionFactory)
    case_ref = factory.Sequence(lambda n: f"CASE-{n:03d}")
    organisation = "CRC"
    sentence_type = "community_order"
    gender = "male"
    ethnicity = "white"
    office = "Central hub"
    rosh_level = "medium"
    # Recorded, as a case must be before it is submitted (cases.descriptors.required_to_submit).
    offence_type = "violence"
