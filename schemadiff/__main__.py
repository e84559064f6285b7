"""``python -m schemadiff``: the same command line as the ``schemadiff`` script."""

from schemadiff.cli.app import main

if __name__ == "__main__":
    main()
