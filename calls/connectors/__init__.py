"""Native connectors: Retell's and Vapi's webhooks, verified with each platform's own
signature and mapped onto the same call events as the gateway's (CONTRACTS §3, §8)."""
