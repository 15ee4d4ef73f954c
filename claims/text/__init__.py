"""Pure text algorithms: plain functions over strings, lists and dataclasses, no Django.

Segmentation into claims and sentences, grapheme clusters, re-anchoring spans in a new
revision, UTF-16 offsets, short excerpts for messages, source URL normalisation. The models,
services and exports call these; nothing here imports Django or the rest of ``claims``
(a test in tests/test_layout.py keeps it so).
"""
