"""Reading what comes in from outside: files, saved web pages and other tools' labels.

``articles``: import_articles' files (.txt, .json, .jsonl, saved pages) and page addresses;
``web_pages``: a saved web page -> an article's text and metadata; ``labels``: labelled data
from other tools (doccano, Label Studio, our own export). The readers touch no database;
``claims.services`` stores what they read (``labels.loading`` calls it, one transaction per
label set). Nothing here imports the models, the admin, the API or the exports.
"""
