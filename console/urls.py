from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from console import health
from console.affiliates import views as affiliate_views
from console.api.business import BusinessView
from console.api.errors import api_not_found
from console.billing import views as billing_views
from console.observability import views as observability
from console.site import views as public
from console.tenancy.password_reset_limit import RateLimitedPasswordResetView
from console.tenancy.views import accounts, settings

handler400 = "console.site.errors.bad_request"
handler403 = "console.site.errors.forbidden"
handler404 = "console.site.errors.not_found"
handler500 = "console.site.errors.server_error"

api_v1 = [
    path("business", BusinessView.as_view(), name="api_business"),
    path("", include("calls.api_urls")),
    path("", include("bookings.api.urls")),
]

urlpatterns = [
    path("", accounts.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("metrics", observability.metrics, name="metrics"),
    path("readyz", health.readyz, name="readyz"),
    # Sign-in
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_reset/",
        RateLimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("switch/", accounts.business_switch, name="business_switch"),
    path("switch/search/", accounts.business_search, name="business_switch_search"),
    # Settings
    path("settings/", settings.business_settings, name="settings_business"),
    path("settings/members/", settings.members, name="settings_members"),
    path("settings/members/<int:pk>/role/", settings.member_role, name="settings_member_role"),
    path(
        "settings/members/<int:pk>/remove/", settings.member_remove, name="settings_member_remove"
    ),
    path("settings/api-keys/", settings.api_keys, name="settings_api_keys"),
    path(
        "settings/api-keys/<int:pk>/revoke/",
        settings.api_key_revoke_view,
        name="settings_api_key_revoke",
    ),
    path("settings/audit/", settings.audit_log, name="settings_audit"),
    # Public site, billing and the affiliate program (CONTRACTS §7)
    path("pricing/", public.pricing, name="pricing"),
    path("trial/", public.trial, name="trial"),
    path("r/<slug:code>/", public.referral_link, name="referral_link"),
    path("billing/", billing_views.billing, name="billing"),
    path("billing/checkout/", billing_views.checkout, name="billing_checkout"),
    path("billing/stripe/webhook/", billing_views.stripe_webhook, name="stripe_webhook"),
    path("affiliates/", affiliate_views.program, name="affiliates"),
    # The printed short form: /affiliate and /affiliate/ in one hop to the program.
    re_path(
        r"^affiliate/?$",
        RedirectView.as_view(pattern_name="affiliates", permanent=True, query_string=True),
    ),
    path("affiliates/join/", affiliate_views.join, name="affiliate_join"),
    path("affiliates/dashboard/", affiliate_views.dashboard, name="affiliate_dashboard"),
    path("affiliates/statement.csv", affiliate_views.statement, name="affiliate_statement"),
    path("affiliates/payouts/", affiliate_views.staff_payouts, name="affiliate_staff_payouts"),
    path(
        "affiliates/payouts/<int:affiliate_id>/approve/",
        affiliate_views.staff_payout_approve,
        name="affiliate_payout_approve",
    ),
    path(
        "affiliates/payouts/<int:payout_id>/paid/",
        affiliate_views.staff_payout_paid,
        name="affiliate_payout_paid",
    ),
    path("affiliates/payouts.csv", affiliate_views.staff_payouts_csv, name="affiliate_payouts_csv"),
    # API
    path("api/v1/", include(api_v1)),
    # Read-only documents: any other method is a 405 (made JSON by ApiJsonRepliesMiddleware);
    # the docs view's own 405 failed to render (it has no template for errors): a 500.
    path("api/schema/", require_safe(SpectacularAPIView.as_view()), name="api_schema"),
    path(
        "api/docs/",
        # The split view serves Swagger UI's start-up script as a file: no inline script.
        # Swagger UI's bundle adds <style> elements as it draws: allowed on this page only.
        require_safe(
            csp_update({"style-src": [UNSAFE_INLINE]})(
                SpectacularSwaggerSplitView.as_view(url_name="api_schema")
            )
        ),
        name="api_docs",
    ),
    re_path(r"^api/", api_not_found),  # JSON 404 for any other API path, also in DEBUG
    # Pages of the apps
    path("", include("console.onboarding.urls")),  # the first-day checklist
    path("", include("calls.urls")),
    path("", include("bookings.urls")),
    path("admin/", admin.site.urls),
]
