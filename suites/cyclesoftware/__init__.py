"""The CycleSoftware API v1 suite (a package, so its module names do not clash with other suites)."""
