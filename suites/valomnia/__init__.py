"""The Valomnia suite: a package, so its module names do not clash with other vendors' suites."""
