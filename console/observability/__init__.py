"""What an operator sees at 3 a.m.: Prometheus metrics at /metrics (behind a token), JSON logs
with the request id in production, and errors to Sentry when a DSN is set. At the bottom of
the layers: everything may record a metric, and this package imports none of our apps."""
