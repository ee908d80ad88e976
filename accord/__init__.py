"""accord: conformance and contract tests for vendors' customer APIs, traced to their documentation."""

__version__ = "0.1.0"
