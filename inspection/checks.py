"""System checks for what the settings alone cannot promise (registered in InspectionConfig)."""

from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import Error, Tags, register

# collectstatic's own default: the files it leaves out, so the check leaves them out too.
COLLECTSTATIC_IGNORES = ["CVS", ".*", "*~"]
COLLECT = "Run `manage.py collectstatic --noinput`, then start the server again."


def _static_files() -> set[str]:
    """Every static file the finders offer, named as collectstatic names it in the manifest."""
    names = set()
    for finder in get_finders():
        for path, storage in finder.list(COLLECTSTATIC_IGNORES):
            prefix = getattr(storage, "prefix", None)
            names.add(f"{prefix}/{path}" if prefix else path)
    return names


def _problem(message: str, hint: str, number: int) -> list[Error]:
    return [Error(message, hint=hint, id=f"inspection.E{number:03d}")]


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs, **kwargs) -> list[Error]:
    """With DEBUG off, every page names its stylesheet and scripts by the hashed names that
    collectstatic writes into its manifest; without the manifest, or with one from before a
    file was added, those pages fail with a 500. `check --deploy` names the missing step.
    A deploy check, not an every-run one: `migrate` comes before `collectstatic` in a deploy."""
    try:
        keeps_a_manifest = isinstance(staticfiles_storage, ManifestFilesMixin)
    except ValueError as unreadable:  # the storage reads its manifest as it starts
        return _problem(f"The static files manifest cannot be read: {unreadable}.", COLLECT, 2)
    if not keeps_a_manifest:
        return []  # DEBUG on: files are served as they are, no manifest needed
    storage = staticfiles_storage
    manifest = storage.path(storage.manifest_name)
    if not storage.manifest_storage.exists(storage.manifest_name):
        return _problem(
            f"The static files have not been collected: {manifest} is missing, so with DEBUG "
            "off every page fails (500).",
            COLLECT,
            1,
        )
    collected, _hash = storage.load_manifest()
    missing = sorted(_static_files() - set(collected))
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        are = "s are" if len(missing) > 1 else " is"
        return _problem(
            f"{len(missing)} static file{are} not in {manifest} (collected before they "
            f"existed): {', '.join(missing[:5])}{more}. A page that uses one fails (500).",
            COLLECT,
            3,
        )
    return []
