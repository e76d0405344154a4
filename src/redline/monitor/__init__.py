"""Live monitoring: poll feeds, code and store their new articles, evaluate the watch rules and
red lines, deliver the new alerts, in cycles, in the one process that owns the store
(``redline monitor``, ``redline serve --feeds``).

- ``state``: the monitor's tables in the store (feeds, items, the delivery outbox, cycles);
- ``cycle``: one cycle, and the loop of cycles (``Monitor``);
- ``deliver``: the outbox filled with new alerts and emptied through ``feeds.notify``;
- ``owner``: the owner file and the snapshot the command line reads while the store is owned;
- ``status``: what ``redline status`` and ``GET /api/status`` show.

Fetching, parsing, extracting and sending are ``redline.feeds``'.
"""
