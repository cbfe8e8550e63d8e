"""Praverka: a verification workstation for displaced Belarusian nationals."""

__version__ = "0.1.0"
