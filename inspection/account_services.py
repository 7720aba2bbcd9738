"""A person's password: chosen by themselves, or set by an administrator as a temporary one.

The rules, whoever asks (the change-password page, the admin, the shell):
- A password set for someone by anyone else (an administrator, a command) is temporary: its
  holder must choose their own before they open any other page
  (inspection.middleware.PasswordChangeRequiredMiddleware), since someone else knows it.
- A person's new password must pass the password validators and differ from the one they
  hold: re-entering a temporary password would keep it known.
- Every password set is in the account's history (Account.history): who set it, when, and
  whether it is temporary; never the password.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspection.models import Account

TEMPORARY_REASON = "Temporary password set"
CHOSEN_REASON = "Password chosen by its holder"


def password_change_required(user) -> bool:
    """Whether this person holds a temporary password (one query: asked at sign-in only)."""
    return Account.objects.filter(user=user, must_change_password=True).exists()


def _account_record(user, *, temporary: bool, by) -> Account:
    account, _created = Account.objects.select_for_update().get_or_create(user=user)
    account.must_change_password = temporary
    account.password_changed_at = timezone.now()
    account._history_user = by
    account._change_reason = TEMPORARY_REASON if temporary else CHOSEN_REASON
    account.save()
    return account


def _password_store(user, password: str) -> None:
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def password_change(*, user, password: str) -> Account:
    """A person chooses their own password (the page checked their current one first)."""
    if user.check_password(password):
        raise ValidationError(
            {
                "new_password1": "Choose a new password: it must differ from the one you "
                "signed in with."
            },
            code="password_unchanged",
        )
    _password_store(user, password)
    return _account_record(user, temporary=False, by=user)


@transaction.atomic
def password_set(*, user, password: str, by) -> Account:
    """Set a person's password for them: temporary unless `by` is that person (an
    administrator setting their own in the admin). `by` None: a command."""
    _password_store(user, password)
    temporary = by is None or by.pk != user.pk
    return _account_record(user, temporary=temporary, by=by)


@transaction.atomic
def password_mark_temporary(*, user, by) -> Account:
    """The password a new account was given by an administrator is temporary too."""
    return _account_record(user, temporary=True, by=by)
