"""Loads the Quality & Impact 2016 framework (judgements/frameworks/qi-2016.json) as data."""

from django.db import migrations

from judgements.framework_loader import load_framework, read_framework_file


def load(apps, schema_editor):
    load_framework(read_framework_file("qi-2016"), apps)


def unload(apps, schema_editor):
    apps.get_model("judgements", "Framework").objects.filter(code="qi-2016").delete()


class Migration(migrations.Migration):
    dependencies = [("judgements", "0001_initial"), ("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
