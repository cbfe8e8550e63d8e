"""Benchmarks on synthetic demo data; each figure is printed beside the floor it cannot beat."""
