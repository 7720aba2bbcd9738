"""factory_boy factories for the domain, built on the real Q&I 2016 framework."""

import factory
from django.contrib.auth import get_user_model

from cases.models import Case
from inspection.models import Inspection, Role, TeamMembership
from judgements.models import Framework


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    area_name = factory.Sequence(lambda n: f"Area {n}")
    title = factory.LazyAttribute(lambda o: f"Quality & Impact inspection: {o.area_name}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    crc_name = "Example Community Rehabilitation Company"
    nps_name = "National Probation Service example division"
    framework = factory.LazyFunction(lambda: Framework.objects.get(code="qi-2016"))
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
