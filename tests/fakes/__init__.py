"""Fakes that stand in for real services at the HTTP level (`upstream_server.py`), built on
the one upstream wire format (`wire.py`)."""
