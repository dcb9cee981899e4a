"""Command line interface: ``python -m analysis parse|ingest|stats|rederive`` (design.md contract)."""

from analysis.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
