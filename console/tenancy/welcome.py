"""The email a newly added member gets: a link to set their password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from console.tenancy.models import Business, User


def welcome_email_send(*, user: User, business: Business, request: HttpRequest | None) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    base = request.build_absolute_uri("/").rstrip("/") if request else settings.SITE_URL
    body = render_to_string(
        "registration/welcome_email.txt",
        {"user": user, "business": business, "link": base + path},
    )
    transaction.on_commit(
        lambda: send_mail(
            f"You have been added to {business.name}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    )
