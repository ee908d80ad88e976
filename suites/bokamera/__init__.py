"""The BokaMera suite (a package, so its module names never clash with another vendor's suite)."""
