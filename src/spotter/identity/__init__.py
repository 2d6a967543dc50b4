"""Accounts: users, passwords, sessions and tokens, two-factor, email verification."""
