"""What every HTTP request goes through before a view: a chunked body read like any other,
NUL bytes refused as bad input."""
