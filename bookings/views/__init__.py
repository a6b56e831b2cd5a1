"""Console pages of the appointment book: book (day/week, booking), panel (one
appointment), search, settings_pages (services, staff, hours, rules)."""
