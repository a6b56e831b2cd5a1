"""A new business's first day: the checklist it lands on after the trial sign-up (services,
staff and hours, its voice agent connected, a test call, its team), a welcome email, and the
test call played into its own live page."""
