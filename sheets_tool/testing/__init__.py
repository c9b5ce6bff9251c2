"""Stand-ins for outside systems, for tests and trials: a Google Sheets/Drive emulator."""
