"""Entry point for `python -m review`."""

from review.cli import main

if __name__ == "__main__":
    main()
