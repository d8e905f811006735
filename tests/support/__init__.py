"""Test helpers shared by several areas: loopback servers and fixtures."""
