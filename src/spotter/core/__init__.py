"""Plumbing that knows no domain: database, tenancy, auth, errors, jobs, email, helpers."""
