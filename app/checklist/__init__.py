"""Checklists: versioned templates, evaluated rules and manual ticks, waivers."""
