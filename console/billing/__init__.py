"""Plans, Stripe checkout and webhooks, invoices, and the 14-day trial's lifecycle."""
