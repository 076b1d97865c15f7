"""Review history shared between devices through a folder that git or a file-sync tool carries.

replay (pure: a card's view from every device's records), folder (the shared folder's
files, read incrementally), sync (setup, merge, status). Imports drill.study and
drill.store, never Textual.
"""
