"""Only for building the Scrapyd egg: `scrapyd-deploy` runs `python setup.py bdist_egg`.

Everything else (metadata, packages, package data, the `scrapy` settings entry point) is in
pyproject.toml; `pip install` does not need this file.
"""

from setuptools import setup

setup()
