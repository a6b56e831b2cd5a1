"""Live updates to open pages: one Redis subscription per process and topic, fanned out to the
sockets that listen (fanout.py). At the bottom of the layers, beside privacy: it knows no app."""
