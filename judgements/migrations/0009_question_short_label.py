import uuid

from django.db import migrations, models

from judgements.framework_loader import read_framework_file


def label_the_grid_columns(apps, schema_editor):
    """Give the Q&I 2016 questions asked per item their short labels from the framework file,
    in qi-2016 and in every copy of it where the question still reads as in the file (a copy
    whose question was reworded keeps its column headed by the code until an administrator
    labels it). Each framework touched gets a new revision, so no process serves the copy of
    its questions it loaded before."""
    Framework = apps.get_model("judgements", "Framework")
    Question = apps.get_model("judgements", "Question")
    touched = set()
    for entry in read_framework_file("qi-2016")["questions"]:
        if not entry.get("short_label"):
            continue
        questions = Question.objects.filter(code=entry["code"], text=entry["text"], short_label="")
        touched.update(questions.values_list("framework_id", flat=True))
        questions.update(short_label=entry["short_label"])
    for framework_id in touched:
        Framework.objects.filter(pk=framework_id).update(revision=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("judgements", "0008_kept_progress"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="short_label",
            field=models.CharField(
                blank=True,
                help_text="The few words that head the question's column in an item grid "
                "(“In plan?”); needed for a question asked per item.",
                max_length=24,
            ),
        ),
        migrations.RunPython(label_the_grid_columns, migrations.RunPython.noop),
    ]
