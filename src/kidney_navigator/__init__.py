"""Kidney Cancer Navigator: cited, plain-language help for people living with metastatic kidney cancer."""

__version__ = "0.1.0"
