"""The local store: TinyDB file, fsync'd review journal, locking, atomic writes,
doctor, collection settings and paths.

May import drill.parse (data types only). Never drill.study or anything above it.
"""
