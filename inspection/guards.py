"""A rule of the data, not of one screen: a model whose rows belong to an owner (an
inspection, a framework) asks the owner's rule before any write, whatever makes it — a page,
an import, the admin, a command or the shell. `save()` and `delete()` ask it for the row's old
and new owner; `update`, `delete`, `bulk_create` and `bulk_update` on a queryset, which skip
`save()`, ask it for every owner they touch.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver


def next_version(instance: models.Model) -> int:
    """The version a save writes: one past the stored row's (not the copy in memory), so even
    a save from a stale copy moves the version on and a form loaded before it is refused."""
    stored = (
        type(instance)._base_manager.filter(pk=instance.pk).values_list("version", flat=True)
        if instance.pk is not None
        else None
    )
    current = stored.first() if stored is not None else None
    return 1 if current is None else current + 1


class GuardedQuerySet(models.QuerySet):
    def _owners(self, queryset) -> list:
        return list(queryset.order_by().values_list(self.model.owner_path, flat=True).distinct())

    def _refuse_rows(self) -> None:
        self.model.refuse_owners(self._owners(self))

    def update(self, **kwargs):
        """Refused for the rows' owners before the update and after it, so an update cannot
        move rows into a refusing owner either (the check after runs in the same savepoint,
        which a refusal rolls back)."""
        self._refuse_rows()
        pks = list(self.values_list("pk", flat=True))
        with transaction.atomic():
            updated = super().update(**kwargs)
            moved = self.model._base_manager.filter(pk__in=pks)
            self.model.refuse_owners(self._owners(moved))
        return updated

    def delete(self):
        self._refuse_rows()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self.model.refuse_owners(obj.owner_id() for obj in objs)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        stored = self.model._base_manager.filter(pk__in=[obj.pk for obj in objs])
        self.model.refuse_owners([*self._owners(stored), *(obj.owner_id() for obj in objs)])
        return super().bulk_update(objs, *args, **kwargs)


class GuardedModel(models.Model):
    """Subclasses name the path to their owner's id (`owner_path`, as `values_list` reads it),
    how to find it on a row (`owner_id`) and the rule (`refuse_owners`, raising a
    ValidationError)."""

    owner_path = ""

    objects = GuardedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refuse_write()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_write()
        return super().delete(*args, **kwargs)

    def refuse_write(self) -> None:
        """Raise if this row may not be written (saved, deleted or loaded) now."""
        self.refuse_owners([self._stored_owner_id(), self.owner_id()])

    @classmethod
    def refuse_owners(cls, owner_ids: Iterable[int | None]) -> None:
        raise NotImplementedError

    def owner_id(self) -> int | None:
        raise NotImplementedError

    def _stored_owner_id(self) -> int | None:
        if self.pk is None:
            return None
        manager = type(self)._base_manager
        return manager.filter(pk=self.pk).values_list(self.owner_path, flat=True).first()


# `manage.py loaddata` saves "raw", without calling the models' own save() or delete(): these
# receivers put the same rule in its way.
@receiver(pre_save)
def refuse_raw_save(sender, instance, raw=False, **kwargs) -> None:
    if raw and isinstance(instance, GuardedModel):
        instance.refuse_write()
