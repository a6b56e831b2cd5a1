"""The live views' WebSockets (CONTRACTS §6): the messages sent (messages), rendering and
sending them after commit (broadcast), the consumers and their routes."""
