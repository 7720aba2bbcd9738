"""Writes that touch several models of an inspection, each in one transaction."""

from django.contrib.auth import get_user_model
from django.db import transaction

from cases.models import Case
from fixtures import durham_2016
from inspection.models import Inspection, TeamMembership
from judgements.framework_loader import load_framework, read_framework_file
from judgements.models import Framework


@transaction.atomic
def demo_durham_load(*, framework_code: str = "qi-2016") -> Inspection:
    """Create the Durham 2016 demo: users, inspection, team and 47 cases.

    Idempotent and non-destructive: anything that already exists (a user, the inspection, a
    case) is left exactly as it is, so running it twice adds nothing and overwrites nobody.
    """
    User = get_user_model()
    users = {}
    for username, first_name, last_name, role in durham_2016.USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": role is None,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(durham_2016.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    framework = Framework.objects.filter(code=framework_code).first()
    if framework is None:  # a flushed database (transactional tests) has lost the migration's copy
        framework = load_framework(read_framework_file(framework_code))
    inspection, _ = Inspection.objects.get_or_create(
        slug=durham_2016.SLUG, defaults={**durham_2016.INSPECTION, "framework": framework}
    )
    for username, _first, _last, role in durham_2016.USERS:
        if role:
            TeamMembership.objects.get_or_create(
                inspection=inspection, user=users[username], defaults={"role": role}
            )
    for demo_case in durham_2016.demo_cases():
        Case.objects.get_or_create(
            inspection=inspection,
            case_ref=demo_case.case_ref,
            defaults={
                "organisation": demo_case.organisation,
                "assigned_inspector": users[demo_case.reader],
                **demo_case.descriptors,
            },
        )
    return inspection
