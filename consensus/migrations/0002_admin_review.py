"""Admin review: the `review` permission, indexes for the admin's filters, the Reviewers group."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations, models

GROUP = "Reviewers"
CODENAMES = ("view_consensusrun", "review_consensusrun")


def create_reviewers(apps: Any, schema_editor: Any) -> None:
    """The group holds exactly: view runs, review runs. Permissions are normally created after
    all migrations (post_migrate), so create this app's now, from the historical models."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("consensus")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = previous or True  # create_permissions skips apps without models
    try:
        create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
    finally:
        app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    perms = Permission.objects.filter(content_type__app_label="consensus", codename__in=CODENAMES)
    group.permissions.set(perms)


def delete_reviewers(apps: Any, schema_editor: Any) -> None:
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consensus", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="consensusrun",
            options={
                "ordering": ["-created_at"],
                "permissions": [("review_consensusrun", "Can review consensus runs")],
                "verbose_name": "consensus run",
                "verbose_name_plural": "consensus runs",
            },
        ),
        migrations.AddIndex(
            model_name="consensusrun",
            index=models.Index(fields=["fast_model"], name="run_fast_model"),
        ),
        migrations.AddIndex(
            model_name="consensusrun",
            index=models.Index(fields=["validator_model"], name="run_validator_model"),
        ),
        migrations.AddIndex(
            model_name="consensusrun",
            index=models.Index(
                condition=models.Q(("corrected", True)),
                fields=["review_state", "-created_at"],
                name="run_review_queue",
            ),
        ),
        migrations.AddIndex(
            model_name="consensusrun",
            index=models.Index(
                fields=[
                    "created_at",
                    "status",
                    "corrected",
                    "review_state",
                    "similarity",
                    "confidence",
                    "time_to_first_token",
                ],
                name="run_list_cover",
            ),
        ),
        migrations.RunPython(create_reviewers, delete_reviewers),
    ]
