"""Progress: measurements, photos, weekly check-ins, forecasts and body charts."""
