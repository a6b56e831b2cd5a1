"""The email a new owner gets on signing up for a trial. console.tenancy.welcome is the
other welcome (a member added by someone else: it carries a set-your-password link); an
owner who just chose a password gets their first-day checklist instead."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from console.tenancy.models import Business, User


def owner_welcome_send(*, user: User, business: Business) -> None:
    site = settings.SITE_URL.rstrip("/")
    body = render_to_string(
        "onboarding/welcome_email.txt",
        {
            "user": user,
            "business": business,
            "checklist_url": site + reverse("onboarding"),
            "docs_url": site + reverse("api_docs"),
        },
    )
    subject = f"Welcome to the console, {business.name}"
    recipient = user.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]), robust=True
    )
