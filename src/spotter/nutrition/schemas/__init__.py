"""Pydantic input and output shapes of the nutrition API, one module per area."""
