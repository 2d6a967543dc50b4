"""Spotter: the open platform for personal trainers, coaching businesses and small gyms."""

__version__ = "0.1.0"
