"""`manage.py create_api_token <name> [--user U]`: a new bearer token, its secret printed once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from consensus.access.tokens import token_create


class Command(BaseCommand):
    help = "Create an API token for another frontend and print its secret (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="who uses the token, e.g. 'mobile app'")
        parser.add_argument("--user", help="username the token acts for (optional)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            model = get_user_model()
            try:
                user = model._default_manager.get_by_natural_key(options["user"])
            except model.DoesNotExist as exc:
                raise CommandError(f"No user {options['user']!r}.") from exc
        token, secret = token_create(name=options["name"], user=user)
        # The secret alone on stdout (TOKEN=$(manage.py create_api_token app)); the rest on stderr.
        self.stderr.write(
            f"Created API token {token.name!r} ({token.prefix}…). Store the secret now: it is "
            "not kept and cannot be shown again. Send it as 'Authorization: Bearer <secret>'."
        )
        self.stdout.write(secret)
