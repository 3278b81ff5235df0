"""Users, their institution-wide admin flag and their roles per program."""
