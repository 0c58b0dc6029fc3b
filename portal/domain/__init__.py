"""Pure domain code: imports neither Flask nor SQLAlchemy."""
