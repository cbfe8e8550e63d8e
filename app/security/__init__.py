"""Passwords, keys and encryption."""
