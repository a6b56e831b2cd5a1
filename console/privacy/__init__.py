"""Personal data: field encryption with key rotation, blind indexes, phone numbers, the
client's address."""
