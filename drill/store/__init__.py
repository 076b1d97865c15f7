"""The local store: TinyDB file, fsync'd review journal, locking, atomic writes,
doctor, collection settings, the person's config.toml (userconfig, with the key ids
of keymap) and paths.

May import drill.parse (data types only). Never drill.study or anything above it.
"""
