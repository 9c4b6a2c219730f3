"""cardagent — the local NHI card agent (健保卡讀卡程式).

It reads the NHI card through PC/SC (or a virtual reader for demos and tests), has the card sign
the portal's challenge, and serves both to the portal's pages over HTTP on 127.0.0.1 only.
"""

__version__ = "0.1.0"
