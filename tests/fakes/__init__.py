"""Fakes that stand in for real services at the HTTP level (see `upstream_server.py`)."""
