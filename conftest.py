"""Wires accord's pytest plugin for every suite under suites/ and for accord's own tests."""

pytest_plugins = ["accord.plugin"]
