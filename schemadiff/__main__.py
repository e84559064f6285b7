"""``python -m schemadiff``: the same command line as the ``schemadiff`` script."""

from schemadiff.cli import main

if __name__ == "__main__":
    main()
