from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from console.affiliates.models import Affiliate, AffiliateProgram, Commission, Payout, Referral
from console.audit.models import AuditEntry
from console.billing.models import BillingAccount, Invoice, Plan, StripeEvent
from console.tenancy.admin import ReadOnlyAdmin
from console.tenancy.models import ApiKey, Business, Membership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "timezone", "prefix", "subscription_status"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "price_cents", "active"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "business", "prefix", "scopes", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # keys are made in the console or by create_api_key: shown once there


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "business", "actor_label", "action", "object_repr"]
    list_filter = ["action"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "paid_at",
        "business",
        "number",
        "amount_paid_cents",
        "amount_refunded_cents",
        "status",
    ]
    list_filter = ["status"]
    search_fields = ["number", "stripe_invoice_id", "business__name"]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "type", "event_id"]
    list_filter = ["type"]
    search_fields = ["event_id"]


@admin.register(BillingAccount)
class BillingAccountAdmin(ReadOnlyAdmin):
    list_display = ["business", "stripe_customer_id", "stripe_subscription_id", "updated_at"]


@admin.register(AffiliateProgram)
class AffiliateProgramAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "commission_percent",
        "hold_days",
        "cookie_days",
        "payout_threshold_cents",
    ]


@admin.register(Affiliate)
class AffiliateAdmin(ReadOnlyAdmin):
    list_display = ["code", "user", "created_at"]
    search_fields = ["code", "user__email"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "affiliate", "business", "converted_at"]


@admin.register(Commission)
class CommissionAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "affiliate",
        "kind",
        "amount_cents",
        "rate_percent",
        "status",
        "available_at",
    ]
    list_filter = ["status", "kind"]


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "affiliate", "amount_cents", "status", "paid_at"]
    list_filter = ["status"]
