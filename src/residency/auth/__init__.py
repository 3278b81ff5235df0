"""Sign-in (OAuth2 password flow), tokens, lockout, and the permission of every route."""
