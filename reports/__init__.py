"""Printed letters and reports (ReportLab), with the fonts they embed."""
