"""Live alerts: what in a call needs a person now (CONTRACTS §6 `data-alert`)."""
