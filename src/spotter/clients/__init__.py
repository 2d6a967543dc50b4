"""Clients of an organization and the trainers they are assigned to."""
