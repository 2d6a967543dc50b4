"""The exercise library: shared public-domain exercises, custom ones and overrides."""
