"""peergroups: the domain of peer-learning group formation (types, vocabularies, files)."""

__version__ = "0.1.0"
