"""Names and dates of the people a case is about: transliteration, search keys, partial dates.

Everything here is pure: plain strings and frozen values in, plain strings and
frozen values out, so the same rules serve intake, search and the demo data.
"""
