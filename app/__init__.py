"""The domain: services taking and returning plain values; no Qt here."""
