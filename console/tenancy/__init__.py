"""Tenancy and access: users, businesses, memberships and roles, API keys, the signed-in
business of a request or socket. Imports no other concern but the audit log and privacy."""
