"""Operator (platform superadmin) views across organizations."""
