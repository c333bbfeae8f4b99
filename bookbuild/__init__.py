"""bookbuild: the tooling that builds the book, never imported by a student's notebook.

It holds the Sphinx extensions that fix and trim the published site, the build
cache, the bibliography style, the student downloads and pack, the readability
report and the benchmark. The package students import is :mod:`durovbook`.
"""
