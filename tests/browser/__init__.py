"""Tests that drive a real browser (Chromium) against the built example site."""
