"""A rule of the data, not of one screen: a model whose rows belong to an owner (an
inspection, a framework) asks the owner's rule before any write, whatever makes it — a page,
an import, the admin, a command or the shell. `save()` and `delete()` ask it for the row's old
and new owner; `update`, `delete`, `bulk_create` and `bulk_update` on a queryset, which skip
`save()`, ask it for every owner they touch.
"""

from collections.abc import Iterable

from django.db import models


class GuardedQuerySet(models.QuerySet):
    def _refuse_rows(self) -> None:
        owners = self.order_by().values_list(self.model.owner_path, flat=True).distinct()
        self.model.refuse_owners(owners)

    def update(self, **kwargs):
        self._refuse_rows()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_rows()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self.model.refuse_owners(obj.owner_id() for obj in objs)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        self.model.refuse_owners(obj.owner_id() for obj in objs)
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
        self.refuse_owners([self._stored_owner_id(), self.owner_id()])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_owners([self._stored_owner_id(), self.owner_id()])
        return super().delete(*args, **kwargs)

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
