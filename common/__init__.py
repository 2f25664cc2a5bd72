"""Building blocks shared by every app: validators, provinces, age bands, base models."""
