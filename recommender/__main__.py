"""python -m recommender: the `recommend` command."""

from recommender.cli import main

if __name__ == "__main__":
    main()
