"""Use cases: each takes the DB session, calls the domain and owns its commit."""
