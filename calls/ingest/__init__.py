"""Call events from the voice gateway (CONTRACTS §3): the endpoint (api), the check of each
event (validation) and storing them (services)."""
